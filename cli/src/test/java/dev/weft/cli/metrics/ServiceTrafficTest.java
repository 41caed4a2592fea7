package dev.weft.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTrafficTest {

  private static String scrape(String reporter, String service, int ok, int failed, int[] buckets) {
    String labels = "reporter=\"" + reporter + "\",destination_service=\"" + service
        + ".default.svc.cluster.local\",destination_service_name=\"" + service
        + "\",destination_service_namespace=\"default\"";
    StringBuilder text = new StringBuilder()
        .append("istio_requests_total{").append(labels).append(",response_code=\"200\"} ").append(ok).append('\n')
        .append("istio_requests_total{").append(labels).append(",response_code=\"503\"} ").append(failed).append('\n');
    String[] bounds = {"10", "100", "+Inf"};
    for (int i = 0; i < bounds.length; i++) {
      text.append("istio_request_duration_milliseconds_bucket{").append(labels).append(",le=\"").append(bounds[i])
          .append("\"} ").append(buckets[i]).append('\n');
    }
    return text.append("istio_build{component=\"proxy\"} 1\n").toString();
  }

  private static List<Sample> samples(String... scrapes) {
    return PrometheusText.parse(String.join("", scrapes), ServiceTraffic::wanted);
  }

  @Test
  void ratesSuccessAndLatencyComeFromTheIncreaseOverTheWindow() {
    Map<String, List<Sample>> before = Map.of("reviews.proxy",
        samples(scrape("destination", "reviews", 100, 5, new int[] {50, 100, 105})));
    // 40 more requests, 30 answered 200 and 10 503; 20 of them within 10 ms, the rest within 100 ms
    Map<String, List<Sample>> after = Map.of("reviews.proxy",
        samples(scrape("destination", "reviews", 130, 15, new int[] {70, 140, 145})));

    List<ServiceTraffic.Row> rows = ServiceTraffic.between(before, after, Duration.ofSeconds(2));

    assertThat(rows).hasSize(1);
    ServiceTraffic.Row reviews = rows.getFirst();
    assertThat(reviews.service()).isEqualTo("reviews.default");
    assertThat(reviews.requestsPerSecond()).isEqualTo(20);
    assertThat(reviews.successRate()).isEqualTo(0.75);
    assertThat(reviews.p50Millis()).isEqualTo(10);
    assertThat(reviews.p99Millis()).isCloseTo(98.2, within(1e-9));
  }

  @Test
  void sourceSideSamplesAreNotCountedAgain() {
    Map<String, List<Sample>> before = Map.of("productpage.proxy",
        samples(scrape("source", "reviews", 0, 0, new int[] {0, 0, 0})));
    Map<String, List<Sample>> after = Map.of("productpage.proxy",
        samples(scrape("source", "reviews", 10, 0, new int[] {10, 10, 10})));

    assertThat(ServiceTraffic.between(before, after, Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void everyProxyOfAServiceAddsUp() {
    Map<String, List<Sample>> before = Map.of(
        "reviews-v1.proxy", samples(scrape("destination", "reviews", 10, 0, new int[] {10, 10, 10})),
        "reviews-v2.proxy", samples(scrape("destination", "reviews", 20, 0, new int[] {20, 20, 20})));
    Map<String, List<Sample>> after = Map.of(
        "reviews-v1.proxy", samples(scrape("destination", "reviews", 14, 0, new int[] {14, 14, 14})),
        "reviews-v2.proxy", samples(scrape("destination", "reviews", 26, 0, new int[] {26, 26, 26})));

    ServiceTraffic.Row row = ServiceTraffic.between(before, after, Duration.ofSeconds(5)).getFirst();

    assertThat(row.requestsPerSecond()).isEqualTo(2);
    assertThat(row.successRate()).isEqualTo(1);
    assertThat(row.p50Millis()).isEqualTo(5);
  }

  @Test
  void aResetCounterCountsFromZeroAndAProxyNotSeenBeforeIsLeftOut() {
    Map<String, List<Sample>> before = Map.of(
        "ratings.proxy", samples(scrape("destination", "ratings", 500, 0, new int[] {500, 500, 500})));
    Map<String, List<Sample>> after = Map.of(
        "ratings.proxy", samples(scrape("destination", "ratings", 6, 0, new int[] {6, 6, 6})),
        "details.proxy", samples(scrape("destination", "details", 900, 0, new int[] {900, 900, 900})));

    List<ServiceTraffic.Row> rows = ServiceTraffic.between(before, after, Duration.ofSeconds(3));

    assertThat(rows).extracting(ServiceTraffic.Row::service).containsExactly("ratings.default");
    assertThat(rows.getFirst().requestsPerSecond()).isEqualTo(2);
  }

  @Test
  void aServiceWithoutRequestsInTheWindowHasNoSuccessRateOrLatency() {
    Map<String, List<Sample>> same = Map.of("details.proxy",
        samples(scrape("destination", "details", 7, 0, new int[] {7, 7, 7})));

    ServiceTraffic.Row row = ServiceTraffic.between(same, same, Duration.ofSeconds(2)).getFirst();

    assertThat(row.requestsPerSecond()).isZero();
    assertThat(row.successRate()).isNaN();
    assertThat(row.p50Millis()).isNaN();
  }
}
