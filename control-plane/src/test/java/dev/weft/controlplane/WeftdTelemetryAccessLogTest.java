package dev.weft.controlplane;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.XdsType;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's Telemetry accessLogging through weftd: a Telemetry in the config directory names a meshConfig
 * envoyFileAccessLog provider with a CEL filter, and the sidecar's listeners carry that log behind the filter until
 * the Telemetry turns logging off.
 */
class WeftdTelemetryAccessLogTest {

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
}
