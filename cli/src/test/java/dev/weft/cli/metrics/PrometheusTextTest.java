package dev.weft.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void readsSamplesWithLabelsEscapesAndTimestampsSkippingComments() {
    String text = """
        # HELP istio_requests_total Total requests.
        # TYPE istio_requests_total counter
        istio_requests_total{reporter="destination",response_code="200",note="a \\"q\\" \\\\ b\\nc"} 17
        istio_request_duration_milliseconds_bucket{le="+Inf"} 3 1700000000000

        process_cpu_seconds_total 1.5e2
        up{} NaN
        """;

    List<Sample> samples = PrometheusText.parse(text, name -> true);

    assertThat(samples).containsExactly(
        new Sample("istio_requests_total", Map.of("reporter", "destination", "response_code", "200",
            "note", "a \"q\" \\ b\nc"), 17),
        new Sample("istio_request_duration_milliseconds_bucket", Map.of("le", "+Inf"), 3),
        new Sample("process_cpu_seconds_total", Map.of(), 150),
        new Sample("up", Map.of(), Double.NaN));
  }

  @Test
  void keepsOnlyTheWantedMetrics() {
    List<Sample> samples = PrometheusText.parse("a 1\nb{x=\"1\"} 2\nc 3\n", name -> !name.equals("b"));

    assertThat(samples).extracting(Sample::name).containsExactly("a", "c");
  }

  @Test
  void aBrokenLineIsAnErrorNamingIt() {
    assertThatThrownBy(() -> PrometheusText.parse("# ok\nx{a=1} 2\n", name -> true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("x{a=1} 2");
    assertThatThrownBy(() -> PrometheusText.parse("x{a=\"1\"} many\n", name -> true))
        .hasMessageContaining("line 1");
  }

  @Test
  void readsPrometheusSpellingsOfTheInfinities() {
    assertThat(PrometheusText.number("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PrometheusText.number("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PrometheusText.number("0.25")).isEqualTo(0.25);
  }
}
