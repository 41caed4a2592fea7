package dev.weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20,000 idle connections against a freshly started weft-proxy process whose descriptor limit is 400. With the
 * default connection limit (derived from the descriptor limit) connections past it are closed at once; with the
 * limit lifted the proxy runs out of descriptors, backs off accepting and survives. Either way it serves again
 * right after the clients go. The clients are two processes of 10,000 connections each, so that no process
 * needs more descriptors than a usual limit of 20,000.
 */
class DescriptorExhaustionTest {

    private static final int CLIENTS = 20_000;
    private static final int PROXY_DESCRIPTORS = 400;

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private final List<Process> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir
    Path dir;
    private Process proxy;
    private int adminPort;
    private int port;

    @AfterEach
    void stop() throws IOException {
        closeClients();
        if (proxy != null) {
            proxy.destroyForcibly();
        }
        up.close();
    }

    private void startProxy(String overload) throws Exception {
        String bootstrap = overload + Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()));
        Path file = Files.writeString(dir.resolve("bootstrap.yaml"), bootstrap);
        Path log = dir.resolve("proxy.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // ulimit -n sets the hard limit too, so the JVM cannot raise it again.
        String command = "ulimit -n " + PROXY_DESCRIPTORS + " && exec " + java + " -Xmx96m -XX:+UseSerialGC -cp "
                + System.getProperty("java.class.path") + " dev.weft.proxy.ProxyMain --bootstrap " + file;
        proxy = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Pattern admin = Pattern.compile("admin on 127\\.0\\.0\\.1:(\\d+)");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(proxy.isAlive()).as("proxy running: %s", Files.readString(log)).isTrue();
            Matcher m = admin.matcher(Files.readString(log));
            return m.find() && (adminPort = Integer.parseInt(m.group(1))) > 0;
        });
        String listeners = get(adminPort, "/listeners").body();
        port = Integer.parseInt(listeners.substring(listeners.lastIndexOf(':') + 1).trim());
        assertThat(get(port, "/before").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(int target, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long stat(String name) throws Exception {
        for (String line : get(adminPort, "/stats").body().split("\n")) {
            if (line.startsWith(name + ": ")) {
                return Long.parseLong(line.substring(name.length() + 2).trim());
            }
        }
        return 0;
    }

    /** What the client processes saw, summed. */
    private record ClientReport(int opened, int closedAtOnce, int failed) {
    }

    /** Opens the idle clients in two processes of half each. */
    private ClientReport openIdleClients() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < 2; i++) {
            clients.add(new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), IdleClients.class.getName(), Integer.toString(port),
                    Integer.toString(CLIENTS / 2)).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        int opened = 0;
        int closed = 0;
        int failed = 0;
        Pattern report = Pattern.compile("opened=(\\d+) closed=(\\d+) failed=(\\d+)");
        for (Process p : clients) {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            Matcher m = report.matcher(line == null ? "" : line);
            assertThat(m.matches()).as("client process reported: %s", line).isTrue();
            opened += Integer.parseInt(m.group(1));
            closed += Integer.parseInt(m.group(2));
            failed += Integer.parseInt(m.group(3));
        }
        return new ClientReport(opened, closed, failed);
    }

    /** Ends the client processes, which reset their connections. */
    private void closeClients() throws IOException {
        for (Process p : clients) {
            p.getOutputStream().close();
        }
        for (Process p : clients) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        clients.clear();
    }

    /** After the clients leave, the proxy answers again; returns how long that took. */
    private Duration servesAgainAfterTheClientsLeave() throws IOException {
        closeClients();
        long start = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> get(port, "/after").statusCode() == 200);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void theDefaultLimitClosesConnectionsPastItAndTheProxyKeepsServing() throws Exception {
        startProxy("");
        ClientReport report = openIdleClients();

        assertThat(proxy.isAlive()).isTrue();
        assertThat(report.opened()).as("every connection was accepted").isEqualTo(CLIENTS);
        long limit = stat("overload.envoy.resource_monitors.global_downstream_max_connections.limit");
        assertThat(limit).isBetween(16L, (long) PROXY_DESCRIPTORS / 2);
        assertThat(report.closedAtOnce()).as("most closed at once; the proxy holds at most %d", limit)
                .isGreaterThan(CLIENTS / 2);
        // Every connection past the limit was closed (the test's own HTTP client may hold one slot).
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                stat("overload.envoy.resource_monitors.global_downstream_max_connections.overflow"))
                .isBetween(CLIENTS - limit, CLIENTS - limit + 1));
        assertThat(stat("listener_manager.accept_errors")).as("the descriptors never ran out").isZero();
        assertThat(servesAgainAfterTheClientsLeave()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void outOfDescriptorsTheListenerBacksOffAndRecovers() throws Exception {
        startProxy("""
                overload_manager:
                  resource_monitors:
                  - name: envoy.resource_monitors.global_downstream_max_connections
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig
                      max_active_downstream_connections: 1000000
                """);
        ClientReport report = openIdleClients();

        assertThat(proxy.isAlive()).isTrue();
        assertThat(report.failed()).as("connections queue, then time out, while descriptors are out").isPositive();
        assertThat(servesAgainAfterTheClientsLeave()).isLessThan(Duration.ofSeconds(1));
        assertThat(stat("listener_manager.accept_errors")).as("it did run out").isPositive();
        assertThat(proxy.waitFor(0, TimeUnit.SECONDS)).isFalse();
        assertThat(Files.readString(dir.resolve("proxy.log"), StandardCharsets.UTF_8))
                .contains("accept failed").doesNotContain("Exception in thread");
    }
}
