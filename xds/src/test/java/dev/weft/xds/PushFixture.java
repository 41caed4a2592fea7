package dev.weft.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.xds.authn.JwksResolver;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import dev.weft.xds.secret.Credentials;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The push and the proxies an xds test translates for, from Istio YAML as a user writes it. */
public final class PushFixture {

    public static final String DOMAIN = "cluster.local";

    private PushFixture() {
    }

    /** The push for {@code yaml} (which must load without errors) with Istio's default mesh settings. */
    public static PushContext push(String yaml) {
        return push(yaml, MeshSettings.DEFAULT);
    }

    public static PushContext push(String yaml, MeshSettings mesh) {
        return push(yaml, mesh, JwksResolver.UNRESOLVED);
    }

    public static PushContext push(String yaml, MeshSettings mesh, JwksResolver jwks) {
        return push(yaml, mesh, jwks, Credentials.NONE);
    }

    public static PushContext push(String yaml, MeshSettings mesh, JwksResolver jwks, Credentials credentials) {
        LoadResult loaded = new ConfigLoader().loadString(yaml, "test.yaml");
        assertThat(loaded.errors()).isEmpty();
        return new PushContext(loaded.snapshot(), ConfigRegistry.build(loaded.snapshot(), List.of(), DOMAIN), mesh,
                jwks, credentials);
    }

    /** The mesh settings a meshConfig YAML (which must load) gives. */
    public static MeshSettings mesh(String meshConfig) {
        return MeshSettings.of(new MeshConfigLoader().loadString(meshConfig, "mesh.yaml").config().orElseThrow(),
                DOMAIN);
    }

    /**
     * A proxy with an Istio node ID ({@code sidecar~10.0.0.5~reviews-1.default~default.svc.cluster.local},
     * {@code router~...} for a gateway) and these labels.
     */
    public static ProxyNode node(String id, Map<String, String> labels) {
        return ProxyNode.fromNode(Node.newBuilder().setId(id).setMetadata(metadata(labels)).build());
    }

    /** Node metadata holding {@code LABELS}, to which a test may add other keys. */
    public static Struct metadata(Map<String, String> labels) {
        Struct.Builder struct = Struct.newBuilder();
        new TreeMap<>(labels).forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(struct).build()).build();
    }
}
