package dev.weft.xds.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inbound cluster of a gRPC port speaks h2 to the app, as Istio's, with or without a Sidecar connection pool. */
class InboundClusterProtocolTest {

    private static Cluster inbound(List<Cluster> clusters, int port) {
        return clusters.stream().filter(c -> c.getName().equals("inbound|" + port + "||")).findFirst().orElseThrow();
    }

    @Test
    void aGrpcPortIsH2AndAnHttpPortIsNot() throws InvalidProtocolBufferException {
        LoadResult loaded = new ConfigLoader().loadString("""
                apiVersion: v1
                kind: Service
                metadata: {name: ext-authz, namespace: default}
                spec:
                  selector: {app: ext-authz}
                  ports: [{name: http, port: 8000}, {name: grpc, port: 9000}]
                """, "test.yaml");
        PushContext push = new PushContext(loaded.snapshot(),
                ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), MeshSettings.DEFAULT);
        ProxyNode authz = ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.7~ext-authz-1.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(Struct
                        .newBuilder().putFields("app", Value.newBuilder().setStringValue("ext-authz").build())).build()))
                .build());

        List<Cluster> clusters = ClusterGenerator.generate(push, authz);

        HttpProtocolOptions grpc = inbound(clusters, 9000).getTypedExtensionProtocolOptionsOrThrow(
                ClusterPolicies.HTTP_PROTOCOL_OPTIONS).unpack(HttpProtocolOptions.class);
        assertThat(grpc.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
        assertThat(inbound(clusters, 8000).getTypedExtensionProtocolOptionsMap()).isEmpty();
    }
}
