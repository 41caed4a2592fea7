package dev.weft.xds.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.xds.PushFixture;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.route.RouteGenerator;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;

class ProxylessListenersTest {

    @Test
    void aGrpcClientGetsListenersOnlyWhereItsSidecarEgressAdmitsTheServicePort() {
        PushContext push = PushFixture.push("""
                apiVersion: v1
                kind: Service
                metadata: {name: reviews, namespace: default}
                spec:
                  selector: {app: reviews}
                  ports: [{name: grpc, port: 9080}, {name: grpc-admin, port: 9081}]
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: default}
                spec:
                  egress:
                  - port: {number: 9080, protocol: GRPC, name: grpc}
                    hosts: ["./*"]
                """);
        ProxyNode client = ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.3~client-1.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("GENERATOR", Value.newBuilder().setStringValue("grpc").build()))
                .build());

        assertThat(ListenerGenerator.generate(push, client)).extracting(Listener::getName)
                .containsExactly("reviews.default.svc.cluster.local:9080");
        assertThat(RouteGenerator.generate(push, client)).extracting(RouteConfiguration::getName)
                .containsExactly("reviews.default.svc.cluster.local:9080");
    }
}
