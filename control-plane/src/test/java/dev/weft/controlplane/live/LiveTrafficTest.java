package dev.weft.controlplane.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd driving a real weft-proxy sidecar (local runtime: no capture, an outbound port on loopback; ADS over TLS
 * trusting the root in weftd's data directory, as weft up's bootstraps do):
 * requests to reviews:9080 follow the VirtualService, an applied change takes effect on live traffic
 * within a second with no request failing, and an invalid change is rejected while traffic keeps flowing.
 */
class LiveTrafficTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: reviews-v1, namespace: default}
            spec:
              address: 127.0.0.1
              ports: {http: %d}
              labels: {app: reviews, version: v1}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: reviews-v2, namespace: default}
            spec:
              address: 127.0.0.1
              ports: {http: %d}
              labels: {app: reviews, version: v2}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              # Explicit limits: weft-proxy reads Envoy's uint32 "unlimited" (4294967295) as -1 for now.
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 10000}
                  http: {http1MaxPendingRequests: 10000, http2MaxRequests: 10000, maxRetries: 10000}
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            """;

    private static String routeTo(String subset, int weight) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - {destination: {host: reviews, subset: %s}, weight: %d}
                """.formatted(subset, weight);
    }

    private static final String BOOTSTRAP = """
            node:
              id: sidecar~127.0.0.1~productpage-v1-live.default~default.svc.cluster.local
              metadata:
                LABELS: {app: productpage}
                WEFT_LOCAL_PORTS: {outbound: 0, admin: 0, workload: []}
            admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }
            dynamic_resources:
              ads_config: { api_type: GRPC, transport_api_version: V3, grpc_services: [ { envoy_grpc: { cluster_name: xds } } ] }
              cds_config: { ads: {}, resource_api_version: V3 }
              lds_config: { ads: {}, resource_api_version: V3 }
            static_resources:
              clusters:
              - name: xds
                type: STATIC
                connect_timeout: 1s
                http2_protocol_options: {}
                load_assignment: { cluster_name: xds, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ] }
                transport_socket:
                  name: envoy.transport_sockets.tls
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                    sni: istiod.istio-system.svc
                    common_tls_context: { validation_context: { trusted_ca: { filename: %s } } }
            """;

    @TempDir
    Path dataDir;
    private FakeHttpUpstream v1;
    private FakeHttpUpstream v2;
    private Weftd weftd;
    private ProxyServer sidecar;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        v1 = FakeHttpUpstream.start("v1");
        v2 = FakeHttpUpstream.start("v2");
        weftd = Weftd.start(WeftdOptions.defaults().withDataDir(dataDir).withPorts(0, 0)
                .withDebounce(Duration.ofMillis(10), Duration.ofMillis(100)));
        assertThat(apply(MESH.formatted(v1.port(), v2.port()) + "---\n" + routeTo("v1", 100))).isEqualTo(200);
        BootstrapResult bootstrap = new BootstrapLoader().parse(BOOTSTRAP.formatted(weftd.xdsPort(),
                dataDir.resolve("ca/root-cert.pem")));
        assertThat(bootstrap).isInstanceOf(BootstrapResult.Valid.class);
        sidecar = ProxyServer.start(((BootstrapResult.Valid) bootstrap).bootstrap(), ProxyOptions.defaults().withWorkerThreads(1));
    }

    @AfterEach
    void stop() throws Exception {
        if (sidecar != null) {
            sidecar.close();
        }
        weftd.close();
        v1.close();
        v2.close();
    }

    private int apply(String yaml) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weftd.httpPort() + "/apply"))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + Files.readString(dataDir.resolve(Weftd.TOKEN_FILE)).strip())
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private RawHttp.Response request() {
        return RawHttp.get(sidecar.listenerPort("local-outbound"), "reviews:9080", "/reviews/1",
                FakeHttpUpstream.NAME_HEADER);
    }

    @Test
    void anAppliedVirtualServiceTakesEffectOnLiveTrafficWithinOneSecondAndNoRequestFails() throws Exception {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> sidecar.listenerPort("local-outbound") > 0 && request().header().equals("v1"));

        List<RawHttp.Response> responses = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; i < 5_000 && running.get() && System.nanoTime() < deadline; i++) {
                responses.add(request());
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> responses.size() >= 20);
        long applied = System.nanoTime();
        assertThat(apply(routeTo("v2", 100))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !responses.isEmpty()
                && responses.getLast().header().equals("v2"));
        Duration switched = Duration.ofNanos(System.nanoTime() - applied);
        int afterSwitch = responses.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> responses.size() >= afterSwitch + 20);

        assertThat(apply(routeTo("v1", -1))).as("an invalid VirtualService is rejected").isEqualTo(400);
        int afterReject = responses.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> responses.size() >= afterReject + 20);
        running.set(false);
        load.join();
        assertThat(switched).as("switch time").isLessThan(Duration.ofSeconds(1));
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.header()).isEqualTo(200));
        assertThat(responses.subList(afterSwitch, responses.size()))
                .as("after the switch, and after the rejected change, v2 keeps serving")
                .allSatisfy(r -> assertThat(r.header()).isEqualTo("v2"));
    }

    /**
     * weftd down long enough for the proxy's reconnect back-off to reach its cap: the proxy keeps serving its last
     * config, never waits more than 3 s between attempts, and gets back in sync with the restarted weftd (same ports,
     * the applied config it kept). How long that took is printed, not asserted: the 5 s target is measured.
     */
    @Test
    void aProxyIsBackInSyncWithinFiveSecondsOfARestartedWeftd() throws Exception {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> sidecar.listenerPort("local-outbound") > 0 && request().header().equals("v1"));
        List<Long> reconnectDelaysMs = new CopyOnWriteArrayList<>();
        Logger ads = Logger.getLogger("dev.weft.proxy.xds.AdsClient");
        Handler delays = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Matcher m = Pattern.compile("reconnecting in (\\d+) ms").matcher(String.valueOf(record.getMessage()));
                if (m.find()) {
                    reconnectDelaysMs.add(Long.parseLong(m.group(1)));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ads.addHandler(delays);
        try {
            WeftdOptions sameMesh = WeftdOptions.defaults().withDataDir(dataDir)
                    .withPorts(weftd.xdsPort(), weftd.httpPort()).withDebounce(Duration.ofMillis(10), Duration.ofMillis(100));
            weftd.close();

            await().atMost(Duration.ofSeconds(60)).until(() -> reconnectDelaysMs.size() >= 6);
            assertThat(request().header()).as("the proxy serves its last config meanwhile").isEqualTo("v1");
            weftd = Weftd.start(sameMesh);
            long back = System.nanoTime();
            // A bound against hanging, not a timing assertion (CI never fails on timing); the time is reported.
            // On a timeout the message shows the last /debug/syncz seen (or why it could not be read).
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
                    syncz(weftd.httpPort())).contains("productpage-v1-live").contains("SYNCED")
                    .doesNotContain("NOT_SENT").doesNotContain("STALE"));
            Duration resynced = Duration.ofNanos(System.nanoTime() - back);
            System.out.println("LiveTrafficTest: proxy back in sync " + resynced.toMillis() + " ms after weftd's return");

            assertThat(reconnectDelaysMs).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(3000));
            assertThat(reconnectDelaysMs.subList(3, reconnectDelaysMs.size())).as("grown to the cap's range")
                    .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(1000));
            assertThat(request().header()).isEqualTo("v1");
        } finally {
            ads.removeHandler(delays);
        }
    }

    private String syncz(int httpPort) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/debug/syncz"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
