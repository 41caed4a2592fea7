package dev.weft.xds.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.xds.PushFixture;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every connection manager says {@code server: istio-envoy}, as Istio's, unless proxyHeaders.server says otherwise. */
class ServerHeadersTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Service
            metadata: {name: httpbin, namespace: default}
            spec:
              selector: {app: httpbin}
              ports: [{name: http, port: 8000}]
            """;

    private static List<HttpConnectionManager> connectionManagers(String meshConfig)
            throws InvalidProtocolBufferException {
        MeshSettings mesh = MeshSettings.of(new MeshConfigLoader().loadString(meshConfig, "mesh.yaml").config()
                .orElseThrow(), "cluster.local");
        PushContext push = PushFixture.push(MESH, mesh);
        ProxyNode sidecar = ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.5~httpbin-1.default~default.svc.cluster.local")
                .setMetadata(PushFixture.metadata(Map.of("app", "httpbin"))).build());
        List<HttpConnectionManager> found = new ArrayList<>();
        for (var listener : ListenerGenerator.generate(push, sidecar)) {
            for (var chain : listener.getFilterChainsList()) {
                for (Filter filter : chain.getFiltersList()) {
                    if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                        found.add(filter.getTypedConfig().unpack(HttpConnectionManager.class));
                    }
                }
            }
        }
        return found;
    }

    @Test
    void istioEnvoyByDefault() throws InvalidProtocolBufferException {
        assertThat(connectionManagers("")).isNotEmpty().allSatisfy(hcm -> {
            assertThat(hcm.getServerName()).isEqualTo("istio-envoy");
            assertThat(hcm.getServerHeaderTransformation())
                    .isEqualTo(HttpConnectionManager.ServerHeaderTransformation.OVERWRITE);
        });
    }

    @Test
    void disabledLetsTheUpstreamsHeaderThrough() throws InvalidProtocolBufferException {
        assertThat(connectionManagers("defaultConfig: {proxyHeaders: {server: {disabled: true}}}"))
                .isNotEmpty().allSatisfy(hcm -> assertThat(hcm.getServerHeaderTransformation())
                        .isEqualTo(HttpConnectionManager.ServerHeaderTransformation.PASS_THROUGH));
    }
}
