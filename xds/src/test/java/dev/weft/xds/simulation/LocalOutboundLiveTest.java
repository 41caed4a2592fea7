package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.push.PushContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The local runtime's HTTP egress, live: an app using the sidecar's {@code local-outbound} listener as its HTTP
 * proxy reaches ServiceEntry hosts (DNS and STATIC) by name, and gets 502 for unknown hosts under REGISTRY_ONLY.
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
        return serviceEntry("api", 8080, "DNS", dnsPort) + serviceEntry("static", 8081, "STATIC", staticPort) + """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: default}
                spec:
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """;
    }

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
}
