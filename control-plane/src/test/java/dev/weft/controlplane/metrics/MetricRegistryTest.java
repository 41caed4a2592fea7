package dev.weft.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricRegistryTest {

    @Test
    void aNameIsRegisteredOnceAndMustBeValid() {
        MetricRegistry registry = new MetricRegistry();
        Counter.register(registry, "pilot_xds_pushes", "pushes", "type");
        assertThatThrownBy(() -> Gauge.register(registry, "pilot_xds_pushes", "again"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Counter.register(registry, "pilot-xds", "dash"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Histogram.register(registry, "h", "le is the bucket's", new double[] {1}, "le"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void histogramsCountIntoIstiodsBucketsCumulatively() {
        MetricRegistry registry = new MetricRegistry();
        Histogram push = Histogram.register(registry, "pilot_xds_push_time", "push time",
                new double[] {.01, .1, 1}, "type");
        push.labels("cds").observe(0.01);
        push.labels("cds").observe(0.05);
        push.labels("cds").observe(7);
        var scraped = StrictPrometheusText.parse(registry.scrape());
        assertThat(scraped)
                .containsEntry("pilot_xds_push_time_bucket{le=\"0.01\",type=\"cds\"}", 1.0)
                .containsEntry("pilot_xds_push_time_bucket{le=\"0.1\",type=\"cds\"}", 2.0)
                .containsEntry("pilot_xds_push_time_bucket{le=\"1\",type=\"cds\"}", 2.0)
                .containsEntry("pilot_xds_push_time_bucket{le=\"+Inf\",type=\"cds\"}", 3.0)
                .containsEntry("pilot_xds_push_time_count{type=\"cds\"}", 3.0);
        assertThat(scraped.get("pilot_xds_push_time_sum{type=\"cds\"}")).isCloseTo(7.06, within(1e-9));
    }
}
