package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import dev.weft.xds.listener.ListenerGenerator;
import io.envoyproxy.envoy.config.core.v3.Locality;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Locality load balancing, live in weft-proxy: with outlier detection set, a client's requests stay in its own
 * locality while its endpoint is healthy and fail over when it is ejected; {@code distribute} shares traffic
 * between localities by weight.
 */
class LocalityLiveTest {

    private static final int REQUESTS = 30;

    private static final String OUTLIER_DETECTION = "outlierDetection: {consecutive5xxErrors: 3}";

    private static String config(int eastPort, int westPort) {
        return config(eastPort, westPort, OUTLIER_DETECTION);
    }

    private static String config(int eastPort, int westPort, String trafficPolicy) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: backend, namespace: default}
                spec:
                  selector: {app: backend}
                  ports: [{name: http, port: 8080}]
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: backend-east, namespace: default}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: backend}, locality: us-east/zone-a}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: backend-west, namespace: default}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: backend}, locality: us-west/zone-b}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: backend, namespace: default}
                spec:
                  host: backend
                  trafficPolicy:
                    %s
                """.formatted(eastPort, westPort, trafficPolicy);
    }

    /** Sends {@link #REQUESTS} requests from a client in {@code region/zone}; the statuses, in order. */
    private static List<Integer> sendFrom(String region, String zone, String config)
            throws IOException, InterruptedException {
        return sendFrom(region, zone, config, REQUESTS);
    }

    private static List<Integer> sendFrom(String region, String zone, String config, int requests)
            throws IOException, InterruptedException {
        ProxyServer server = LiveProxy.start(LiveProxy.push(config),
                LiveProxy.localSidecar(ListValue.getDefaultInstance(),
                        Locality.newBuilder().setRegion(region).setZone(zone).build()),
                ListenerGenerator.LOCAL_OUTBOUND::equals);
        try (HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress(
                "127.0.0.1", server.listenerPort(ListenerGenerator.LOCAL_OUTBOUND)))).build()) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                statuses.add(client.send(HttpRequest.newBuilder(URI.create("http://backend:8080/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            return statuses;
        } finally {
            server.close();
        }
    }

    @Test
    void eachClientStaysInItsOwnLocality() throws IOException, InterruptedException {
        try (FakeHttpUpstream east = FakeHttpUpstream.start("east"); FakeHttpUpstream west = FakeHttpUpstream.start("west")) {
            String config = config(east.port(), west.port());

            assertThat(sendFrom("us-east", "zone-a", config)).containsOnly(200);
            assertThat(east.requestCount()).isEqualTo(REQUESTS);
            assertThat(west.requestCount()).isZero();

            assertThat(sendFrom("us-west", "zone-b", config)).containsOnly(200);
            assertThat(west.requestCount()).isEqualTo(REQUESTS);
            assertThat(east.requestCount()).isEqualTo(REQUESTS);
        }
    }

    @Test
    void aFailingLocalEndpointIsEjectedAndTrafficFailsOverToTheNextLocality() throws IOException, InterruptedException {
        try (FakeHttpUpstream east = FakeHttpUpstream.start("east"); FakeHttpUpstream west = FakeHttpUpstream.start("west")) {
            east.respondWith(request -> FakeResponse.of(500, "broken"));

            List<Integer> statuses = sendFrom("us-east", "zone-a", config(east.port(), west.port()));

            assertThat(statuses.subList(0, 3)).containsOnly(500);
            assertThat(statuses.subList(3, REQUESTS)).as("the rest from us-west").containsOnly(200);
            assertThat(east.requestCount()).as("ejected after three consecutive 5xx").isEqualTo(3);
            assertThat(west.requestCount()).isEqualTo(REQUESTS - 3);
        }
    }

    @Test
    void distributeSharesTrafficBetweenLocalitiesByWeight() throws IOException, InterruptedException {
        try (FakeHttpUpstream east = FakeHttpUpstream.start("east"); FakeHttpUpstream west = FakeHttpUpstream.start("west")) {
            String distribute = "loadBalancer: {localityLbSetting: {distribute: [{from: us-east/zone-a/*,"
                    + " to: {us-east/zone-a/*: 80, us-west/zone-b/*: 20}}]}}";

            assertThat(sendFrom("us-east", "zone-a", config(east.port(), west.port(), distribute), 200)).containsOnly(200);

            assertThat(east.requestCount()).as("about 80%% of 200").isBetween(130, 185);
            assertThat(west.requestCount()).isEqualTo(200 - east.requestCount());
        }
    }
}
