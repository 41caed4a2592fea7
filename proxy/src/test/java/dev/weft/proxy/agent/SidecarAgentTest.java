package dev.weft.proxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.weft.proxy.ProxyMain;
import dev.weft.proxy.xds.FakeAdsServer;
import dev.weft.testing.tls.TestPki;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft-proxy sidecar} in process, as an injected pod runs it: the environment the injector writes, the pod's
 * files in a temporary directory, a control plane over TLS under istiod's name, a real app for probes and metrics.
 */
class SidecarAgentTest {

    private static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";
    /** A series every proxy of the pod agent shows: its connections to the control plane. */
    private static final String PROXY_SERIES = "envoy_cluster_upstream_cx_total{cluster_name=\"xds-grpc\"}";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXZpZXdzIn0.c2ln";

    @TempDir
    Path dir;
    private final TestPki mesh = TestPki.create("mesh root");
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeAdsServer ads;
    private HttpServer app;
    private SidecarAgent agent;
    private AgentPaths paths;

    @BeforeEach
    void start() throws IOException {
        TestPki.Issued istiod = mesh.issue("istiod", EnvoyBootstrap.ISTIOD);
        ads = new FakeAdsServer(TlsServerCredentials.create(
                new ByteArrayInputStream((istiod.certificatePem() + mesh.caPem()).getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayInputStream(istiod.privateKeyPem().getBytes(StandardCharsets.US_ASCII))));
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/health", exchange -> respond(exchange, 200, "fine"));
        app.createContext("/metrics", exchange -> respond(exchange, 200,
                "# TYPE app_requests_total counter\napp_requests_total 7\n"));
        app.start();
        Path podInfo = Files.createDirectories(dir.resolve("pod"));
        Files.writeString(podInfo.resolve("labels"), "app=\"reviews\"\nversion=\"v2\"\n");
        paths = new AgentPaths(dir.resolve("proxy"), podInfo, Files.writeString(dir.resolve("istio-token"), TOKEN),
                Files.writeString(dir.resolve("root-cert.pem"), mesh.caPem()));
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        ads.close();
        if (app != null) {
            app.stop(0);
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = PodEnvironmentTest.injectedEnv();
        env.put("INSTANCE_IP", "127.0.0.1");
        env.put("CA_ADDR", "127.0.0.1:" + ads.port());
        env.put("PROXY_CONFIG", "{\"discoveryAddress\":\"127.0.0.1:" + ads.port() + "\"}");
        int appPort = app.getAddress().getPort();
        env.put("ISTIO_KUBE_APP_PROBERS", "{\"/app-health/reviews/readyz\":{\"httpGet\":{\"path\":\"/health\","
                + "\"port\":" + appPort + "},\"timeoutSeconds\":2}}");
        env.put("ISTIO_PROMETHEUS_ANNOTATIONS", "{\"scrape\":\"true\",\"port\":\"" + appPort + "\"}");
        return env;
    }

    /**
     * Ports found free now: the admin's is in the bootstrap (the health listener forwards to it) and 0 turns the
     * status port off; the listeners bind any free port.
     */
    private static AgentPorts freePorts() throws IOException {
        try (ServerSocket admin = new ServerSocket(0); ServerSocket status = new ServerSocket(0)) {
            return new AgentPorts(admin.getLocalPort(), 0, 0, status.getLocalPort());
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void pushFirstConfig() {
        ads.push(CLUSTER_TYPE, "1");
        ads.push(LISTENER_TYPE, "1");
    }

    @Test
    void theProxyJoinsTheControlPlaneAsThePodWithItsToken() throws Exception {
        agent = SidecarAgent.start("sidecar", env(), paths, freePorts());

        DiscoveryRequest first = ads.next(CLUSTER_TYPE);
        assertThat(first.getNode().getId())
                .isEqualTo("sidecar~127.0.0.1~reviews-v2-5d8f7-abcde.bookinfo~bookinfo.svc.cluster.local");
        var metadata = first.getNode().getMetadata().getFieldsMap();
        assertThat(metadata.get("NAMESPACE").getStringValue()).isEqualTo("bookinfo");
        assertThat(metadata.get("LABELS").getStructValue().getFieldsMap().get("app").getStringValue())
                .isEqualTo("reviews");
        assertThat(metadata.get("WEFT_WORKLOAD_IDENTITY").getStringValue())
                .isEqualTo("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews");
        assertThat(ads.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(Files.readString(paths.bootstrapFile())).contains("\"xds-grpc\"", first.getNode().getId());
        assertThat(agent.bootstrapFile()).isEqualTo(dir.resolve("proxy/envoy-rev.json"));
    }

    @Test
    void theStatusPortAnswersReadinessAsTheProxyAndWaitReturnsOnceReady() throws Exception {
        agent = SidecarAgent.start("sidecar", env(), paths, freePorts());
        int health = agent.proxy().listenerPort("health");
        assertThat(get(agent.statusPort(), "/healthz/ready").statusCode()).isEqualTo(503);
        ByteArrayOutputStream waitOut = new ByteArrayOutputStream();
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> ReadinessWait.run(new String[] {
            "--url", "http://127.0.0.1:" + health + "/healthz/ready", "--timeoutSeconds=30", "--periodMillis", "50"},
                new PrintStream(waitOut, true, StandardCharsets.UTF_8), System.err));
        ads.next(LISTENER_TYPE);
        assertThat(waiting).isNotDone();

        pushFirstConfig();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(waitOut.toString(StandardCharsets.UTF_8)).contains("ready");
        HttpResponse<String> ready = get(agent.statusPort(), "/healthz/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("LIVE\n");
    }

    @Test
    void theStatusPortRunsTheAppsProbes() throws Exception {
        agent = SidecarAgent.start("sidecar", env(), paths, freePorts());
        HttpResponse<String> readyz = get(agent.statusPort(), "/app-health/reviews/readyz");
        assertThat(readyz.statusCode()).isEqualTo(200);
        assertThat(readyz.body()).isEqualTo("fine");
        assertThat(get(agent.statusPort(), "/app-health/ratings/readyz").statusCode()).isEqualTo(400);

        app.stop(0);
        app = null;
        assertThat(get(agent.statusPort(), "/app-health/reviews/readyz").statusCode()).isEqualTo(500);
    }

    @Test
    void theMetricsAreTheProxysWithTheAppsAppended() throws Exception {
        agent = SidecarAgent.start("sidecar", env(), paths, freePorts());
        HttpResponse<String> merged = get(agent.statusPort(), "/stats/prometheus");
        assertThat(merged.statusCode()).isEqualTo(200);
        assertThat(merged.body()).contains(PROXY_SERIES, "# TYPE app_requests_total counter\napp_requests_total 7\n");
        assertThat(merged.body().indexOf(PROXY_SERIES)).isLessThan(merged.body().indexOf("app_requests_total"));
        assertThat(get(agent.proxy().listenerPort("prometheus_stats"), "/stats/prometheus").body())
                .as("15090 is the proxy's alone").contains(PROXY_SERIES).doesNotContain("app_requests");

        app.stop(0);
        app = null;
        HttpResponse<String> proxyOnly = get(agent.statusPort(), "/stats/prometheus");
        assertThat(proxyOnly.statusCode()).as("a failed app scrape keeps the proxy's part").isEqualTo(200);
        assertThat(proxyOnly.body()).contains(PROXY_SERIES).doesNotContain("app_requests_total");
    }

    @Test
    void aPodWithoutTheMeshRootOrWithBadProbersDoesNotStart() throws Exception {
        Files.delete(paths.rootCert());
        assertThatThrownBy(() -> SidecarAgent.start("sidecar", env(), paths, freePorts()))
                .hasMessageContaining("root-cert.pem");
        Map<String, String> env = env();
        env.put("ISTIO_KUBE_APP_PROBERS", "{\"/healthz\":{\"tcpSocket\":{\"port\":1}}}");
        assertThatThrownBy(() -> SidecarAgent.start("sidecar", env, paths, freePorts()))
                .hasMessageContaining("ISTIO_KUBE_APP_PROBERS");
    }

    @Test
    void waitGivesUpAfterItsTimeoutSayingWhy() throws Exception {
        agent = SidecarAgent.start("sidecar", env(), paths, freePorts());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReadinessWait.run(new String[] {"--url", "http://127.0.0.1:" + agent.statusPort()
                + "/healthz/ready", "--timeoutSeconds", "1", "--periodMillis", "100"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("timeout waiting for the proxy", "503",
                "INITIALIZING");
    }

    @Test
    void helpListsTheSubcommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ProxyMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("weft-proxy sidecar|router", "weft-proxy wait",
                "--bootstrap");
    }
}
