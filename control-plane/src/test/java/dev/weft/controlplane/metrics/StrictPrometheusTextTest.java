package dev.weft.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The strict reader the metrics tests rely on refuses what Prometheus would, so their scrapes prove something. */
class StrictPrometheusTextTest {

    private static final String GOOD = """
            # HELP pilot_xds_pushes Pilot build and send errors.
            # TYPE pilot_xds_pushes counter
            pilot_xds_pushes{type="cds"} 3
            pilot_xds_pushes{type="say \\"hi\\"\\n"} 1
            # TYPE pilot_proxy_convergence_time histogram
            pilot_proxy_convergence_time_bucket{le="0.1"} 1
            pilot_proxy_convergence_time_bucket{le="+Inf"} 2
            pilot_proxy_convergence_time_sum 0.25
            pilot_proxy_convergence_time_count 2
            """;

    @Test
    void readsWellFormedTextWithSortedLabelKeys() {
        assertThat(StrictPrometheusText.parse(GOOD))
                .containsEntry("pilot_xds_pushes{type=\"cds\"}", 3.0)
                .containsEntry("pilot_xds_pushes{type=\"say \"hi\"\n\"}", 1.0)
                .containsEntry("pilot_proxy_convergence_time_count", 2.0);
    }

    @Test
    void refusesWhatPrometheusWouldRefuse() {
        String[] bad = {
            "pilot_xds 1\n",
            "# TYPE a counter\na 1\n# TYPE b gauge\nb 1\na 2\n",
            "# TYPE a counter\n# TYPE a counter\na 1\n",
            "# TYPE a counter\na{type=\"x\"} 1\na{type=\"x\"} 2\n",
            "# TYPE a counter\na -1\n",
            "# TYPE 1a counter\n1a 1\n",
            "# TYPE a gauge\na{0l=\"x\"} 1\n",
            "# TYPE a gauge\na{l=\"\\t\"} 1\n",
            "# TYPE a gauge\na one\n",
            "# TYPE a gauge\na 1",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 0\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 0\n",
            "# TYPE h histogram\nh 1\n",
        };
        for (String text : bad) {
            assertThatThrownBy(() -> StrictPrometheusText.parse(text)).as(text).isInstanceOf(AssertionError.class);
        }
    }
}
