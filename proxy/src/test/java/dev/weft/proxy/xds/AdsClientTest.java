package dev.weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.Protos;
import dev.weft.testing.upstream.FakeHttpUpstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdsClientTest {

    private final FakeAdsServer ads = new FakeAdsServer();
    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private final HttpClient client = HttpClient.newHttpClient();
    private ProxyHarness proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
        ads.close();
        up.close();
    }

    private static Cluster edsCluster() {
        return Protos.fromYaml("""
                name: web
                type: EDS
                connect_timeout: 1s
                eds_cluster_config: { eds_config: { ads: {} } }
                """, Cluster.newBuilder());
    }

    private ClusterLoadAssignment endpoints() {
        return Protos.fromYaml("""
                cluster_name: web
                endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ]
                """.formatted(up.port()), ClusterLoadAssignment.newBuilder());
    }

    private static Listener listener() {
        return Protos.fromYaml("""
                name: dyn
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains:
                - filters:
                  - name: hcm
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: dyn
                      rds: { route_config_name: r1, config_source: { ads: {} } }
                      http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                """, Listener.newBuilder());
    }

    private static RouteConfiguration routes(String domains) {
        return Protos.fromYaml("""
                name: r1
                virtual_hosts:
                - { name: a, domains: %s, routes: [ { match: { prefix: / }, route: { cluster: web } } ] }
                - { name: b, domains: ["b.example"], routes: [ { match: { prefix: / }, direct_response: { status: 204 } } ] }
                """.formatted(domains), RouteConfiguration.newBuilder());
    }

    /** A sink that takes everything but listeners, which {@code listeners} decides about. */
    private static XdsResourceSink sink(Function<List<Listener>, List<ConfigError>> listeners) {
        return new XdsResourceSink() {
            @Override
            public List<ConfigError> clusters(List<Cluster> clusters) {
                return List.of();
            }

            @Override
            public List<ConfigError> endpoints(List<ClusterLoadAssignment> assignments) {
                return List.of();
            }

            @Override
            public List<ConfigError> listeners(List<Listener> protos) {
                return listeners.apply(protos);
            }

            @Override
            public List<ConfigError> routes(List<RouteConfiguration> routes) {
                return List.of();
            }

            @Override
            public List<ConfigError> secrets(List<Secret> secrets) {
                return List.of();
            }
        };
    }

    private int get() throws Exception {
        int port = proxy.server().listenerPort("dyn");
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void stateOfTheWorldWithWarmingAckNackAndReconnect() throws Exception {
        proxy = ProxyHarness.start(ads.bootstrap("sidecar~127.0.0.1~web-1.default~default.svc.cluster.local", ""));

        DiscoveryRequest cds = ads.next(TypeUrls.CLUSTER);
        assertThat(cds.getNode().getId()).startsWith("sidecar~");
        ads.next(TypeUrls.LISTENER);

        String nonce = ads.push(TypeUrls.CLUSTER, "c1", edsCluster());
        DiscoveryRequest cdsAck = ads.next(TypeUrls.CLUSTER);
        assertThat(cdsAck.getVersionInfo()).isEqualTo("c1");
        assertThat(cdsAck.getResponseNonce()).isEqualTo(nonce);
        assertThat(cdsAck.hasErrorDetail()).isFalse();
        assertThat(ads.next(TypeUrls.ENDPOINT).getResourceNamesList()).containsExactly("web");

        ads.push(TypeUrls.LISTENER, "l1", listener());
        assertThat(ads.next(TypeUrls.LISTENER).getVersionInfo()).isEqualTo("l1");
        assertThat(ads.next(TypeUrls.ROUTE).getResourceNamesList()).containsExactly("r1");
        assertThat(proxy.server().warmingListeners()).containsExactly("dyn");
        assertThat(proxy.server().listenerPort("dyn")).isEqualTo(-1);

        ads.push(TypeUrls.ENDPOINT, "e1", endpoints());
        ads.push(TypeUrls.ROUTE, "r1", routes("[\"*\"]"));
        assertThat(ads.next(TypeUrls.ROUTE).getVersionInfo()).isEqualTo("r1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().listenerPort("dyn") > 0);
        assertThat(get()).isEqualTo(200);

        ads.push(TypeUrls.ROUTE, "r2", routes("[\"b.example\"]"));
        DiscoveryRequest nack = ads.next(TypeUrls.ROUTE);
        assertThat(nack.getVersionInfo()).isEqualTo("r1");
        assertThat(nack.getErrorDetail().getMessage()).contains("route r1").contains("domain 'b.example'");
        assertThat(get()).as("the last good routes keep serving").isEqualTo(200);

        ads.dropStream();
        DiscoveryRequest again = ads.next(TypeUrls.CLUSTER);
        assertThat(again.getVersionInfo()).as("a new stream resumes from the accepted version").isEqualTo("c1");
        assertThat(ads.streamCount()).isEqualTo(2);
        assertThat(get()).isEqualTo(200);
    }

    /** Envoy's init manager: not ready until clusters with their endpoints and listeners with their routes arrived. */
    @Test
    void notReadyUntilTheFirstConfigWithItsEndpointsAndRoutesArrived() throws Exception {
        proxy = ProxyHarness.start(ads.bootstrap("router~127.0.0.1~gw-1.istio-system~istio-system.svc.cluster.local", "")
                + "admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }\n");
        ads.next(TypeUrls.CLUSTER);
        ads.next(TypeUrls.LISTENER);
        assertThat(ready()).isEqualTo("503 INITIALIZING\n");

        ads.push(TypeUrls.CLUSTER, "c1", edsCluster());
        ads.next(TypeUrls.ENDPOINT);
        ads.push(TypeUrls.LISTENER, "l1", listener());
        ads.next(TypeUrls.ROUTE);
        assertThat(ready()).as("endpoints and routes still missing").isEqualTo("503 INITIALIZING\n");

        ads.push(TypeUrls.ENDPOINT, "e1", endpoints());
        assertThat(ads.next(TypeUrls.ENDPOINT).getVersionInfo()).isEqualTo("e1");
        assertThat(ready()).as("routes still missing").isEqualTo("503 INITIALIZING\n");

        ads.push(TypeUrls.ROUTE, "r1", routes("[\"*\"]"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ready().equals("200 LIVE\n"));
        assertThat(get()).isEqualTo(200);

        // A later listener that warms (its routes not yet sent) leaves the serving proxy ready, as Envoy's LIVE.
        ads.push(TypeUrls.LISTENER, "l2", listener(), listener().toBuilder().setName("dyn2")
                .setFilterChains(0, listener().getFilterChains(0).toBuilder().setFilters(0, listener()
                        .getFilterChains(0).getFilters(0).toBuilder().setTypedConfig(com.google.protobuf.Any.pack(
                                hcm().toBuilder().setRds(hcm().getRds().toBuilder().setRouteConfigName("r2"))
                                        .build())))).build());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().warmingListeners()
                .contains("dyn2"));
        assertThat(ready()).isEqualTo("200 LIVE\n");
    }

    private static io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager hcm()
            throws Exception {
        return listener().getFilterChains(0).getFilters(0).getTypedConfig().unpack(
                io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.class);
    }

    private String ready() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.server().adminPort() + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void anExceptionWhileApplyingIsANackWithItsDetailNotAReconnect() throws Exception {
        var channel = Grpc.newChannelBuilderForAddress("127.0.0.1", ads.port(),
                InsecureChannelCredentials.create()).build();
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        XdsResourceSink failing = sink(listeners -> {
            throw new IllegalStateException("port 15001 is taken");
        });
        try (AdsClient client = new AdsClient(channel, Node.getDefaultInstance(), failing,
                scheduler, new SplittableRandom(1), Duration.ofMillis(10), Duration.ofMillis(100))) {
            client.start();
            ads.next(TypeUrls.LISTENER);
            ads.push(TypeUrls.LISTENER, "l1", listener());

            DiscoveryRequest nack = ads.next(TypeUrls.LISTENER);

            assertThat(nack.getVersionInfo()).isEmpty();
            assertThat(nack.getErrorDetail().getMessage()).contains("port 15001 is taken");
            assertThat(client.nacksSent()).isEqualTo(1);
            assertThat(ads.streamCount()).as("no reconnect").isEqualTo(1);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void reconnectNowSkipsTheBackOffOnceTheServerIsBack() throws Exception {
        var channel = Grpc.newChannelBuilderForAddress("127.0.0.1", ads.port(),
                InsecureChannelCredentials.create()).build();
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        XdsResourceSink ignoring = sink(listeners -> List.of());
        // A back-off of at least half a minute: only reconnectNow can bring the stream back within this test.
        try (AdsClient client = new AdsClient(channel, Node.getDefaultInstance(), ignoring, scheduler,
                new SplittableRandom(1), Duration.ofSeconds(60), Duration.ofSeconds(60))) {
            assertThat(client.reconnectNow()).as("nothing is waiting before the first stream").isFalse();
            client.start();
            ads.next(TypeUrls.CLUSTER);
            assertThat(client.reconnectNow()).as("a live stream is left alone").isFalse();

            ads.dropStream();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(client::reconnectNow);

            assertThat(ads.next(TypeUrls.CLUSTER)).as("the new stream's first request").isNotNull();
            assertThat(ads.streamCount()).isEqualTo(2);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
