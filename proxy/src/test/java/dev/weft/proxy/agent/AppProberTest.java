package dev.weft.proxy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The app's original probes, run by the agent against real servers: HTTP, TCP and a grpc-java health service. */
class AppProberTest {

    private final AppProber prober = new AppProber("127.0.0.1");
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private HttpServer app;
    private Server grpc;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null) {
            app.stop(0);
        }
        if (grpc != null) {
            grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** An app answering /healthy 200, /sick 503 "database down", /moved 302, and recording what it was sent. */
    private int startApp() throws IOException {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(), values.getFirst()));
            byte[] body = switch (exchange.getRequestURI().getPath()) {
                case "/sick" -> "database down".getBytes(StandardCharsets.UTF_8);
                default -> "ok".getBytes(StandardCharsets.UTF_8);
            };
            int status = switch (exchange.getRequestURI().getPath()) {
                case "/healthy" -> 200;
                case "/sick" -> 503;
                case "/moved" -> 302;
                default -> 404;
            };
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "/healthy");
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        app.start();
        return app.getAddress().getPort();
    }

    private static AppProbe.HttpGet get(int port, String path, Map.Entry<String, String>... headers) {
        return new AppProbe.HttpGet("HTTP", "", port, path, List.of(headers), Duration.ofSeconds(2));
    }

    @Test
    void anHttpProbeMirrorsTheAppsStatus() throws IOException {
        int port = startApp();
        assertThat(prober.run(get(port, "/healthy"), Map.of())).isEqualTo(new AppProber.Result(200, "ok"));
        assertThat(prober.run(get(port, "/sick"), Map.of())).isEqualTo(new AppProber.Result(503, "database down"));
        assertThat(prober.run(get(port, "/moved"), Map.of()).status()).as("a redirect passes, as the kubelet's")
                .isEqualTo(200);
    }

    @Test
    void anHttpProbeSendsTheProbesHeadersOverTheKubeletsOnes() throws IOException {
        int port = startApp();
        prober.run(get(port, "/healthy", Map.entry("Host", "reviews.example"), Map.entry("X-Probe", "deep")),
                Map.of("user-agent", "kube-probe/1.31", "x-probe", "shallow", "connection", "close"));
        assertThat(seen).containsEntry("host", "reviews.example").containsEntry("x-probe", "deep")
                .containsEntry("user-agent", "kube-probe/1.31");
    }

    @Test
    void anHttpProbeFailsWithinItsTimeoutWhenTheAppDoesNotAnswer() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            AppProbe.HttpGet probe = new AppProbe.HttpGet("HTTP", "", silent.getLocalPort(), "/", List.of(),
                    Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThat(prober.run(probe, Map.of()).status()).isEqualTo(500);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTcpProbePassesWhenTheAppAcceptsAndFailsWhenNothingListens() throws IOException {
        int port = startApp();
        assertThat(prober.run(new AppProbe.TcpSocket("", port, Duration.ofSeconds(1)), Map.of()).status())
                .isEqualTo(200);
        app.stop(0);
        app = null;
        assertThat(prober.run(new AppProbe.TcpSocket("", port, Duration.ofSeconds(1)), Map.of()).status())
                .isEqualTo(500);
    }

    @Test
    void aGrpcProbeAsksTheAppsHealthService() throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
                .addService(health.getHealthService()).build().start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus("reviews", ServingStatus.NOT_SERVING);
        int port = grpc.getPort();

        assertThat(prober.run(new AppProbe.Grpc(port, "", Duration.ofSeconds(2)), Map.of()).status()).isEqualTo(200);
        assertThat(prober.run(new AppProbe.Grpc(port, "reviews", Duration.ofSeconds(2)), Map.of()).status())
                .isEqualTo(500);
        assertThat(prober.run(new AppProbe.Grpc(port, "unknown", Duration.ofSeconds(2)), Map.of()).status())
                .as("NOT_FOUND").isEqualTo(500);
        health.setStatus("reviews", ServingStatus.SERVING);
        assertThat(prober.run(new AppProbe.Grpc(port, "reviews", Duration.ofSeconds(2)), Map.of()).status())
                .isEqualTo(200);
    }

    @Test
    void theInjectorsProbersAreReadAndBadOnesRefused() {
        Map<String, AppProbe> probes = AppProbe.parse("""
                {"/app-health/reviews/livez":{"tcpSocket":{"port":9080}},
                 "/app-health/reviews/readyz":{"httpGet":{"path":"health","port":9080,"scheme":"HTTPS",
                   "httpHeaders":[{"name":"Host","value":"r.example"}]},"timeoutSeconds":3},
                 "/app-health/grpc/startupz":{"grpc":{"port":9090,"service":"reviews"}}}""");
        assertThat(probes).containsEntry("/app-health/reviews/livez",
                new AppProbe.TcpSocket("", 9080, Duration.ofSeconds(1)));
        assertThat(probes).containsEntry("/app-health/reviews/readyz", new AppProbe.HttpGet("HTTPS", "", 9080,
                "/health", List.of(Map.entry("Host", "r.example")), Duration.ofSeconds(3)));
        assertThat(probes).containsEntry("/app-health/grpc/startupz",
                new AppProbe.Grpc(9090, "reviews", Duration.ofSeconds(1)));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppProbe.parse(
                "{\"/other/x/livez\":{\"tcpSocket\":{\"port\":1}}}")).hasMessageContaining("not an agent path");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppProbe.parse(
                "{\"/app-health/x/livez\":{\"tcpSocket\":{\"port\":\"http\"}}}")).hasMessageContaining("port");
    }
}
