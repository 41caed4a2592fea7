package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** locality_weighted_lb_config: traffic splits between the localities of a priority by their weights. */
class LocalityWeightedLbTest {

    private static final int REQUESTS = 400;

    private final FakeHttpUpstream west = FakeHttpUpstream.start("west");
    private final FakeHttpUpstream east1 = FakeHttpUpstream.start("east1");
    private final FakeHttpUpstream east2 = FakeHttpUpstream.start("east2");
    private final FakeHttpUpstream unweighted = FakeHttpUpstream.start("unweighted");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        west.close();
        east1.close();
        east2.close();
        unweighted.close();
    }

    private static String endpoint(int port) {
        return "{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: " + port + " } } } }";
    }

    @Test
    void localitiesGetTrafficInProportionToTheirWeights() {
        String cluster = """
                  - name: zones
                    connect_timeout: 1s
                    lb_policy: ROUND_ROBIN
                    common_lb_config: { locality_weighted_lb_config: {} }
                    load_assignment:
                      cluster_name: zones
                      endpoints:
                      - { locality: { region: us, zone: west }, load_balancing_weight: 1, lb_endpoints: [ %s ] }
                      - { locality: { region: us, zone: east }, load_balancing_weight: 3, lb_endpoints: [ %s, %s ] }
                      - { locality: { region: us, zone: south }, lb_endpoints: [ %s ] }
                """.formatted(endpoint(west.port()), endpoint(east1.port()), endpoint(east2.port()),
                endpoint(unweighted.port()));
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: zones }
                """), "", cluster));

        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            var r = proxy.get("/");
            assertThat(r.statusCode()).isEqualTo(200);
            served.merge(r.headers().firstValue(FakeHttpUpstream.NAME_HEADER).orElseThrow(), 1, Integer::sum);
        }

        // Binomial with p = 1/4: sd ~ 8.7 requests; 5 sd either side.
        assertThat((double) served.getOrDefault("west", 0)).isCloseTo(REQUESTS / 4.0, within(45.0));
        int east = served.getOrDefault("east1", 0) + served.getOrDefault("east2", 0);
        assertThat((double) east).isCloseTo(REQUESTS * 3 / 4.0, within(45.0));
        assertThat(served.getOrDefault("east1", 0)).as("round robin inside the locality").isCloseTo(east / 2, within(east / 4));
        assertThat(served).as("a locality without a weight gets nothing").doesNotContainKey("unweighted");
    }
}
