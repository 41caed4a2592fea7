package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.XdsType;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd serves SDS over ADS from a watched credentials directory: a gateway gets the secrets its servers name
 * ({@code kubernetes://<credentialName>}, {@code ...-cacert}), replacing the files pushes the new ones, and a proxy
 * whose config names no credential gets none, whatever it asks for.
 */
class WeftdSecretsTest {

    private static final String GATEWAY = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: mygateway, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [httpbin.example.com]
                tls: {mode: MUTUAL, credentialName: httpbin-credential}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: httpbin, namespace: default}
            spec:
              hosts: [httpbin.example.com]
              gateways: [mygateway]
              http:
              - route: [{destination: {host: httpbin.default.svc.cluster.local, port: {number: 8000}}}]
            """;
    private static final String CERTIFICATE = "kubernetes://httpbin-credential";
    private static final String CA = "kubernetes://httpbin-credential-cacert";

    @TempDir
    Path configDir;
    @TempDir
    Path credentialsDir;
    private Weftd weftd;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(configDir.resolve("gateway.yaml"), GATEWAY);
        Path httpbin = Files.createDirectory(credentialsDir.resolve("httpbin-credential"));
        Files.writeString(httpbin.resolve("tls.crt"), "CERTIFICATE 1");
        Files.writeString(httpbin.resolve("tls.key"), "KEY 1");
        Files.writeString(httpbin.resolve("ca.crt"), "CLIENT CA");
        weftd = Weftd.start(WeftdOptions.defaults().withConfigDir(configDir).withCredentialsDir(credentialsDir)
                .withPorts(0, 0).withDebounce(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() throws Exception {
        weftd.close();
    }

    private static Node node(String id, String label, String value) {
        return Node.newBuilder().setId(id).setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder()
                .setStructValue(Struct.newBuilder().putFields(label, Value.newBuilder().setStringValue(value).build()))
                .build())).build();
    }

    private JsonNode syncz() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + weftd.httpPort() + "/debug/syncz")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    private static String certificate(RecordingProxy proxy) {
        Secret secret = (Secret) proxy.accepted(XdsType.SECRET).get(CERTIFICATE);
        return secret == null ? "" : secret.getTlsCertificate().getCertificateChain().getInlineString();
    }

    @Test
    void aGatewayGetsItsCredentialsAndReplacedFilesArePushedToIt() throws Exception {
        try (RecordingProxy gateway = new RecordingProxy(weftd.xdsPort(), node(
                "router~127.0.0.1~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local", "istio",
                "ingressgateway"))) {
            gateway.subscribe(XdsType.LISTENER);
            gateway.subscribe(XdsType.SECRET, CERTIFICATE, CA, "kubernetes://not-mine");
            await().atMost(Duration.ofSeconds(10)).until(() -> certificate(gateway).equals("CERTIFICATE 1"));

            assertThat(gateway.accepted(XdsType.SECRET)).containsOnlyKeys(CERTIFICATE, CA);
            Secret ca = (Secret) gateway.accepted(XdsType.SECRET).get(CA);
            assertThat(ca.getValidationContext().getTrustedCa().getInlineString()).isEqualTo("CLIENT CA");
            assertThat(((Secret) gateway.accepted(XdsType.SECRET).get(CERTIFICATE)).getTlsCertificate().getPrivateKey()
                    .getInlineString()).isEqualTo("KEY 1");

            Path httpbin = credentialsDir.resolve("httpbin-credential");
            Files.writeString(httpbin.resolve("tls.crt"), "CERTIFICATE 2");
            Files.writeString(httpbin.resolve("tls.key"), "KEY 2");
            await().atMost(Duration.ofSeconds(10)).until(() -> certificate(gateway).equals("CERTIFICATE 2"));
            assertThat(((Secret) gateway.accepted(XdsType.SECRET).get(CERTIFICATE)).getTlsCertificate().getPrivateKey()
                    .getInlineString()).isEqualTo("KEY 2");
            await().atMost(Duration.ofSeconds(10)).until(() -> syncz().path(0).path("types").path("SDS")
                    .path("status").asText().equals("SYNCED"));
        }
    }

    @Test
    void aProxyWhoseConfigNamesNoCredentialGetsNoneWhateverItAsks() throws Exception {
        try (RecordingProxy sidecar = new RecordingProxy(weftd.xdsPort(), node(
                "sidecar~127.0.0.1~sleep-1.default~default.svc.cluster.local", "app", "sleep"))) {
            sidecar.subscribe(XdsType.SECRET, CERTIFICATE, CA);
            await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.responsesOf(XdsType.SECRET) > 0);

            assertThat(sidecar.received).filteredOn(r -> r.getTypeUrl().equals(XdsType.SECRET.typeUrl()))
                    .allSatisfy(r -> assertThat(r.getResourcesList()).isEmpty());
        }
    }
}
