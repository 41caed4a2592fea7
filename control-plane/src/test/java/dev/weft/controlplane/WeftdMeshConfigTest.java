package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.XdsType;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd's {@code --mesh-config}: its settings reach the push, a rewrite is pushed, the CA takes its trust domain, its
 * access log providers serve the Telemetry in the config directory.
 */
class WeftdMeshConfigTest {

    private static final String TELEMETRY = """
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              accessLogging:
              - providers: [{name: failures}]
                %s
            """;

    @TempDir
    Path dir;

    private static Node sidecar() {
        Struct labels = Struct.newBuilder().putFields("app", Value.newBuilder().setStringValue("curl").build()).build();
        return Node.newBuilder().setId("sidecar~127.0.0.1~curl-abc.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
                .build();
    }

    private static String listeners(RecordingProxy proxy) {
        return proxy.accepted(XdsType.LISTENER).values().toString();
    }

    @Test
    void theOutboundTrafficPolicyFollowsTheFileAsItIsRewritten() throws Exception {
        Path mesh = Files.writeString(dir.resolve("mesh.yaml"), "outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n");
        WeftdOptions options = WeftdOptions.defaults().withPorts(0, 0).withMeshConfig(mesh)
                .withDebounce(Duration.ofMillis(10), Duration.ofMillis(100));
        try (Weftd weftd = Weftd.start(options); RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), sidecar())) {
            proxy.subscribe(XdsType.LISTENER);
            await().atMost(Duration.ofSeconds(10)).until(() -> listeners(proxy).contains("BlackHoleCluster"));

            Files.writeString(mesh, "outboundTrafficPolicy:\n  mode: ALLOW_ANY\n");

            await().atMost(Duration.ofSeconds(10)).until(() -> !listeners(proxy).contains("BlackHoleCluster")
                    && listeners(proxy).contains("PassthroughCluster"));
        }
    }

    /**
     * Istio's Telemetry accessLogging: a Telemetry naming a meshConfig envoyFileAccessLog provider with a CEL filter
     * puts that log, behind the filter, on the sidecar's listeners until it turns logging off.
     */
    @Test
    void aTelemetryFilterReachesTheSidecarsListenersAndDisablingItRemovesTheLog() throws Exception {
        Path mesh = Files.writeString(dir.resolve("mesh.yaml"), """
                extensionProviders:
                - name: failures
                  envoyFileAccessLog: {path: /var/log/failures.log}
                """);
        Path config = Files.createDirectories(dir.resolve("config"));
        Path telemetry = Files.writeString(config.resolve("telemetry.yaml"),
                TELEMETRY.formatted("filter: {expression: \"response.code >= 500\"}"));
        WeftdOptions options = WeftdOptions.defaults().withPorts(0, 0).withMeshConfig(mesh).withConfigDir(config)
                .withDebounce(Duration.ofMillis(10), Duration.ofMillis(100));
        try (Weftd weftd = Weftd.start(options); RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), sidecar())) {
            proxy.subscribe(XdsType.LISTENER);
            await().atMost(Duration.ofSeconds(10)).until(() -> listeners(proxy).contains("/var/log/failures.log")
                    && listeners(proxy).contains("response.code >= 500"));

            Files.writeString(telemetry, TELEMETRY.formatted("disabled: true"));

            await().atMost(Duration.ofSeconds(10)).until(() -> !listeners(proxy).contains("/var/log/failures.log")
                    && listeners(proxy).contains("virtualOutbound"));
        }
    }

    @Test
    void theCaTakesTheMeshConfigsTrustDomainUnlessTheFlagNamesOne() throws Exception {
        Path mesh = Files.writeString(dir.resolve("mesh.yaml"), "trustDomain: mesh.example.org\n");
        WeftdOptions options = WeftdOptions.defaults().withPorts(0, 0).withMeshConfig(mesh);
        try (Weftd weftd = Weftd.start(options.withDataDir(dir.resolve("from-mesh")))) {
            assertThat(rootSubject(dir.resolve("from-mesh"))).contains("O=mesh.example.org");
        }
        try (Weftd weftd = Weftd.start(options.withDataDir(dir.resolve("from-flag"))
                .withCa(options.ca().withTrustDomain("flag.example.org")))) {
            assertThat(rootSubject(dir.resolve("from-flag"))).contains("O=flag.example.org");
        }
    }

    private static String rootSubject(Path data) throws Exception {
        byte[] pem = Files.readAllBytes(data.resolve("ca/root-cert.pem"));
        X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        return root.getSubjectX500Principal().getName();
    }
}
