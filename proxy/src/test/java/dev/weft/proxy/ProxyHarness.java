package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Starts a proxy in-process from bootstrap YAML and talks to it with the JDK HTTP client. */
public final class ProxyHarness implements AutoCloseable {

    private final ProxyServer server;
    private final HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ProxyHarness(ProxyServer server) {
        this.server = server;
    }

    public static ProxyHarness start(String bootstrapYaml) {
        return start(bootstrapYaml, ProxyOptions.defaults().withWorkerThreads(2).withRandomSeed(42));
    }

    public static ProxyHarness start(String bootstrapYaml, ProxyOptions options) {
        ProxyServer server = startServer(bootstrapYaml, options);
        assertThat(server.configErrors()).isEmpty();
        return new ProxyHarness(server);
    }

    /** A server from a bootstrap that parses but may have rejected resources (see {@code configErrors()}). */
    public static ProxyServer startServer(String bootstrapYaml, ProxyOptions options) {
        BootstrapResult result = new BootstrapLoader().parse(bootstrapYaml);
        assertThat(result).isInstanceOf(BootstrapResult.Valid.class);
        return ProxyServer.start(((BootstrapResult.Valid) result).bootstrap(), options);
    }

    public ProxyServer server() {
        return server;
    }

    public int port() {
        return server.listenerPort("ingress");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http1.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request to the proxy failed: " + e, e);
        }
    }

    public HttpClient client() {
        return http1;
    }

    @Override
    public void close() {
        server.close();
    }
}
