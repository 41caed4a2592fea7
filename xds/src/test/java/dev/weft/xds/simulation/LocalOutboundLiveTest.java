package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeTlsUpstream;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.push.PushContext;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime's HTTP egress, live: an app using the sidecar's {@code local-outbound} listener as its HTTP
 * proxy reaches ServiceEntry hosts (DNS and STATIC) by name, and gets 502 for unknown hosts under REGISTRY_ONLY.
 * Under ALLOW_ANY it reaches any host by name (here {@code localhost}) and HTTPS through CONNECT, with curl as the app.
 */
class LocalOutboundLiveTest {

    private static String serviceEntry(String name, int port, String resolution, int endpointPort) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s, namespace: default}
                spec:
                  hosts: [%s.external.test]
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  resolution: %s
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                ---
                """.formatted(name, name, port, resolution, endpointPort);
    }

    private static String config(int dnsPort, int staticPort) {
        return serviceEntry("api", 8080, "DNS", dnsPort) + serviceEntry("static", 8081, "STATIC", staticPort)
                + REGISTRY_ONLY;
    }

    /** An HTTPS ServiceEntry for secure.external.test:443, its one endpoint the given local port. */
    private static String httpsServiceEntry(int endpointPort) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: secure, namespace: default}
                spec:
                  hosts: [secure.external.test]
                  ports: [{number: 443, name: https, protocol: HTTPS}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.0.1, ports: {https: %d}}]
                ---
                """.formatted(endpointPort);
    }

    private static final String REGISTRY_ONLY = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: default}
            spec:
              outboundTrafficPolicy: {mode: REGISTRY_ONLY}
            """;

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serviceEntryHostsByNameAndRegistryOnlyForTheRest() throws IOException, InterruptedException {
        try (FakeHttpUpstream dns = FakeHttpUpstream.start("dns-resolved");
                FakeHttpUpstream statically = FakeHttpUpstream.start("static")) {
            PushContext push = LiveProxy.push(config(dns.port(), statically.port()));
            ProxyServer server = LiveProxy.start(push, LiveProxy.localSidecar(ListValue.getDefaultInstance()),
                    ListenerGenerator.LOCAL_OUTBOUND::equals);
            try (HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress(
                    "127.0.0.1", server.listenerPort(ListenerGenerator.LOCAL_OUTBOUND)))).build()) {
                HttpResponse<String> byDns = get(client, "http://api.external.test:8080/hello");
                HttpResponse<String> byStatic = get(client, "http://static.external.test:8081/hello");
                HttpResponse<String> unknown = get(client, "http://unknown.external.test:8082/hello");

                assertThat(byDns.statusCode()).isEqualTo(200);
                assertThat(byDns.headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("dns-resolved");
                assertThat(byStatic.statusCode()).isEqualTo(200);
                assertThat(byStatic.headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("static");
                assertThat(unknown.statusCode()).as("REGISTRY_ONLY").isEqualTo(502);
                assertThat(dns.requestCount() + statically.requestCount()).isEqualTo(2);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void allowAnyReachesAnyHostByNameAndTunnelsHttps(@TempDir Path dir) throws IOException {
        Path ca = dir.resolve("ca.pem");
        try (FakeHttpUpstream web = FakeHttpUpstream.start("web"); FakeTlsUpstream secure = secureServer(ca)) {
            ProxyServer server = localOutbound(httpsServiceEntry(secure.port()));
            try {
                String sidecar = "http://127.0.0.1:" + server.listenerPort(ListenerGenerator.LOCAL_OUTBOUND);
                assertThat(curl("-x", sidecar, "http://localhost:" + web.port() + "/headers"))
                        .as("a name no ServiceEntry declares").contains("HTTP/1.1 200").containsIgnoringCase("x-upstream: web");
                assertThat(curl("-x", sidecar, "--cacert", ca.toString(), "https://localhost:" + secure.port() + "/"))
                        .as("CONNECT without a ServiceEntry").contains("HTTP/1.1 200 OK")
                        .containsIgnoringCase("x-tls-sni: localhost");
                assertThat(curl("-x", sidecar, "--cacert", ca.toString(), "https://secure.external.test/"))
                        .as("CONNECT to the ServiceEntry's host goes to its endpoint")
                        .containsIgnoringCase("x-tls-sni: secure.external.test");
                assertThat(secure.requestCount()).isEqualTo(2);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void registryOnlyTunnelsOnlyToRegisteredHosts(@TempDir Path dir) throws IOException {
        Path ca = dir.resolve("ca.pem");
        try (FakeTlsUpstream secure = secureServer(ca)) {
            ProxyServer server = localOutbound(httpsServiceEntry(secure.port()) + REGISTRY_ONLY);
            try {
                String sidecar = "http://127.0.0.1:" + server.listenerPort(ListenerGenerator.LOCAL_OUTBOUND);
                assertThat(curl("-x", sidecar, "--cacert", ca.toString(), "https://secure.external.test/"))
                        .contains("HTTP/1.1 200 OK").containsIgnoringCase("x-upstream: secure");
                assertThat(curl("-x", sidecar, "--cacert", ca.toString(), "https://localhost:" + secure.port() + "/"))
                        .as("CONNECT to an unregistered host: the 502 of block_all")
                        .contains("HTTP/1.1 502").contains("CONNECT tunnel failed, response 502");
                assertThat(secure.requestCount()).isEqualTo(1);
            } finally {
                server.close();
            }
        }
    }

    /** An HTTPS server for localhost and secure.external.test; its CA is written to {@code ca}. */
    private static FakeTlsUpstream secureServer(Path ca) throws IOException {
        TestPki pki = TestPki.create("egress");
        var leaf = pki.issue("localhost", "localhost", "secure.external.test");
        Files.writeString(ca, pki.caPem());
        return FakeTlsUpstream.start("secure", leaf.certificatePem(), leaf.privateKeyPem(), null);
    }

    /** A local-runtime sidecar's {@code local-outbound} listener alone, for this config. */
    private static ProxyServer localOutbound(String config) {
        return LiveProxy.start(LiveProxy.push(config), LiveProxy.localSidecar(ListValue.getDefaultInstance()),
                ListenerGenerator.LOCAL_OUTBOUND::equals);
    }

    /** curl's output with the response head; over HTTP/1.1, as an app's client speaks to its proxy. */
    private static String curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-i", "--http1.1", "--max-time", "10"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
