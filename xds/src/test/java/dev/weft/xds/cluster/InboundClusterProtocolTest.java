package dev.weft.xds.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.xds.PushFixture;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inbound cluster of a gRPC port speaks h2 to the app, as Istio's, with or without a Sidecar connection pool. */
class InboundClusterProtocolTest {

    private static Cluster inbound(List<Cluster> clusters, int port) {
        return clusters.stream().filter(c -> c.getName().equals("inbound|" + port + "||")).findFirst().orElseThrow();
    }

    @Test
    void aGrpcPortIsH2AndAnHttpPortIsNot() throws InvalidProtocolBufferException {
        PushContext push = PushFixture.push("""
                apiVersion: v1
                kind: Service
                metadata: {name: ext-authz, namespace: default}
                spec:
                  selector: {app: ext-authz}
                  ports: [{name: http, port: 8000}, {name: grpc, port: 9000}]
                """);
        ProxyNode authz = PushFixture.node("sidecar~10.0.0.7~ext-authz-1.default~default.svc.cluster.local",
                Map.of("app", "ext-authz"));

        List<Cluster> clusters = ClusterGenerator.generate(push, authz);

        HttpProtocolOptions grpc = inbound(clusters, 9000).getTypedExtensionProtocolOptionsOrThrow(
                ClusterPolicies.HTTP_PROTOCOL_OPTIONS).unpack(HttpProtocolOptions.class);
        assertThat(grpc.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
        assertThat(inbound(clusters, 8000).getTypedExtensionProtocolOptionsMap()).isEmpty();
    }
}
