package dev.weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.ProxyMain;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAndMainTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private final HttpClient client = HttpClient.newHttpClient();
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    private String bootstrap() {
        return Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()));
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminEndpointsShowConfigAndState() throws Exception {
        proxy = ProxyHarness.start(bootstrap());
        proxy.get("/");

        assertThat(admin("GET", "/ready").body()).isEqualTo("LIVE\n");
        assertThat(admin("GET", "/listeners").body()).isEqualTo("ingress::127.0.0.1:" + proxy.port() + "\n");
        assertThat(admin("GET", "/clusters").body()).contains("up::127.0.0.1:" + up.port() + "::health_flags::healthy");
        assertThat(admin("GET", "/stats").body()).contains("cluster.up.upstream_rq_total: 1")
                .contains("http.ingress_http.downstream_rq_2xx: 1");
        assertThat(admin("GET", "/stats?filter=%5Ecluster").body()).doesNotContain("http.ingress_http");
        assertThat(admin("GET", "/stats/prometheus").body())
                .contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"up\"} 1")
                .contains("envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"ingress_http\"} 1");

        JsonNode dump = new ObjectMapper().readTree(admin("GET", "/config_dump").body());
        assertThat(dump.at("/configs/0/@type").asText()).endsWith("envoy.admin.v3.BootstrapConfigDump");
        assertThat(dump.at("/configs/1/static_clusters/0/cluster/name").asText()).isEqualTo("up");
        assertThat(dump.at("/configs/2/static_listeners/0/listener/name").asText()).isEqualTo("ingress");
        assertThat(dump.at("/configs/2/static_listeners/0/listener/address/socket_address/address").asText())
                .as("Envoy's snake_case field names").isEqualTo("127.0.0.1");

        assertThat(admin("GET", "/healthcheck/fail").statusCode()).isEqualTo(405);
        assertThat(admin("POST", "/healthcheck/fail").statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/ready").statusCode()).isEqualTo(503);
        assertThat(admin("POST", "/healthcheck/ok").statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/logging?level=debug").body()).contains("dev.weft: fine");
        assertThat(admin("POST", "/logging?level=loud").statusCode()).isEqualTo(400);

        assertThat(admin("POST", "/drain_listeners").statusCode()).isEqualTo(200);
        assertThat(proxy.server().listenerPort("ingress")).isEqualTo(-1);
        assertThat(admin("GET", "/ready").body()).isEqualTo("DRAINING\n");
    }

    @Test
    void xdsReconnectTellsWhetherAReconnectWasWaiting() throws Exception {
        proxy = ProxyHarness.start(bootstrap());
        HttpResponse<String> post = admin("POST", "/xds/reconnect");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).as("a proxy without ADS has nothing to reconnect").isEqualTo("not waiting to reconnect\n");
        assertThat(admin("GET", "/xds/reconnect").statusCode()).isEqualTo(405);
    }

    @Test
    void accessLogUsesEnvoysDefaultFormat(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("a.log");
        proxy = ProxyHarness.start(Bootstraps.http(Bootstraps.indent("""
                access_log:
                - name: envoy.access_loggers.file
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: "%s" }
                """.formatted(log), 10), Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
        proxy.get("/logged?q=1", "user-agent", "agent/1.0", "x-request-id", "rid-1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log) && Files.size(log) > 0);
        String line = Files.readString(log);
        assertThat(line).matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z] \"GET /logged\\?q=1 HTTP/1.1\" 200 - 0 \\d+ \\d+ \\d+"
                + " \"-\" \"agent/1.0\" \"rid-1\" \"127.0.0.1:\\d+\" \"127.0.0.1:" + up.port() + "\"\n");
    }

    @Test
    void mainSaysWhereTheAdminReallyListens(@TempDir Path dir) throws Exception {
        runMainAndQuitThroughItsAdmin(dir, bootstrap().replaceFirst("address: 127\\.0\\.0\\.1, port_value: 0",
                "address: 127.0.5.7, port_value: 0"), "127.0.5.7");
    }

    @Test
    void mainRunsFromABootstrapFileUntilQuitquitquit(@TempDir Path dir) throws Exception {
        runMainAndQuitThroughItsAdmin(dir, bootstrap(), "127.0.0.1");
    }

    /** Runs ProxyMain until its "started" line names the admin on {@code host}, then quits it through that admin. */
    private void runMainAndQuitThroughItsAdmin(Path dir, String bootstrap, String host) throws Exception {
        Path file = dir.resolve("bootstrap.yaml");
        Files.writeString(file, bootstrap);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> ProxyMain.run(new String[] {"--bootstrap", file.toString()}, System.out, errStream));
        Pattern adminLine = Pattern.compile("weft-proxy: started, admin on " + Pattern.quote(host) + ":(\\d+)\n");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> adminLine.matcher(err.toString(StandardCharsets.UTF_8)).find());
        Matcher m = adminLine.matcher(err.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        URI quit = URI.create("http://" + host + ":" + m.group(1) + "/quitquitquit");
        assertThat(client.send(HttpRequest.newBuilder(quit).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("OK\n");
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void mainRejectsBadInputWithExitCodes(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ProxyMain.run(new String[] {}, System.out, e)).isEqualTo(2);
        assertThat(ProxyMain.run(new String[] {"--bootstrap", dir.resolve("none.yaml").toString()}, System.out, e)).isEqualTo(1);
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                static_resources:
                  clusters: [ { name: c, type: STATIC, connect_timeout: 0s } ]
                """);
        assertThat(ProxyMain.run(new String[] {"--bootstrap", bad.toString()}, System.out, e)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--bootstrap FILE is required")
                .contains("cannot read bootstrap").contains("rejected cluster c: connect_timeout must be greater than zero");
    }
}
