package dev.weft.xds.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyNodeTest {

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value num(int n) {
        return Value.newBuilder().setNumberValue(n).build();
    }

    private static Value struct(Map<String, Value> fields) {
        return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(fields)).build();
    }

    @Test
    void parsesIstioSidecarIdAndMetadata() {
        Node node = Node.newBuilder()
                .setId("sidecar~10.0.0.1~reviews-v1-xyz.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields("LABELS", struct(Map.of("app", str("reviews"), "version", str("v1"))))
                        .putFields("SERVICE_ACCOUNT", str("bookinfo-reviews")))
                .build();

        ProxyNode proxy = ProxyNode.fromNode(node);

        assertThat(proxy.type()).isEqualTo(ProxyType.SIDECAR);
        assertThat(proxy.ipAddresses()).containsExactly("10.0.0.1");
        assertThat(proxy.id()).isEqualTo("reviews-v1-xyz.default");
        assertThat(proxy.workloadName()).isEqualTo("reviews-v1-xyz");
        assertThat(proxy.namespace()).isEqualTo("default");
        assertThat(proxy.dnsDomain()).isEqualTo("default.svc.cluster.local");
        assertThat(proxy.labels()).containsEntry("app", "reviews").containsEntry("version", "v1");
        assertThat(proxy.serviceAccount()).isEqualTo("bookinfo-reviews");
        assertThat(proxy.localPorts()).isEmpty();
        assertThat(proxy.proxylessGrpc()).isFalse();
    }

    @Test
    void grpcGeneratorMarksAProxylessClient() {
        Node node = Node.newBuilder()
                .setId("sidecar~127.0.0.1~client.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("GENERATOR", str("grpc")))
                .build();

        assertThat(ProxyNode.fromNode(node).proxylessGrpc()).isTrue();
    }

    @Test
    void metadataNamespaceAndInstanceIpsWin() {
        Node node = Node.newBuilder()
                .setId("router~10.0.0.9~ingress.istio-system~istio-system.svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", str("gateways"))
                        .putFields("INSTANCE_IPS", str("127.0.0.1, ::1")))
                .build();

        ProxyNode proxy = ProxyNode.fromNode(node);

        assertThat(proxy.type()).isEqualTo(ProxyType.ROUTER);
        assertThat(proxy.namespace()).isEqualTo("gateways");
        assertThat(proxy.ipAddresses()).containsExactly("127.0.0.1", "::1");
    }

    @Test
    void readsTheLocalPortBlock() {
        Value workload = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(
                struct(Map.of("port", num(9080), "proxy", num(21080), "app", num(20080))))).build();
        Node node = Node.newBuilder()
                .setId("sidecar~127.0.0.1~reviews-v1.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields(ProxyNode.LOCAL_PORTS_KEY,
                        struct(Map.of("outbound", num(21001), "admin", num(21000), "workload", workload))))
                .build();

        LocalPorts ports = ProxyNode.fromNode(node).localPorts().orElseThrow();

        assertThat(ports.outbound()).isEqualTo(21001);
        assertThat(ports.admin()).isEqualTo(21000);
        assertThat(ports.workloadPorts()).containsExactly(new LocalPorts.WorkloadPort(9080, 21080, 20080));
        assertThat(ports.forPort(9080)).isPresent();
        assertThat(ports.forPort(9081)).isEmpty();
    }

    @Test
    void readsEgressPortsTheAddressAndTheLocality() {
        Value egress = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(struct(Map.of(
                "host", str("tcp-echo.default.svc.cluster.local"), "port", num(9000), "listen", num(19000))))).build();
        Node node = Node.newBuilder()
                .setId("sidecar~127.0.4.7~reviews-v1.default~default.svc.cluster.local")
                .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                        .setRegion("us-east").setZone("us-east-1a").setSubZone("rack-3"))
                .setMetadata(Struct.newBuilder().putFields(ProxyNode.LOCAL_PORTS_KEY,
                        struct(Map.of("outbound", num(15001), "admin", num(15000), "egress", egress))))
                .build();

        ProxyNode proxy = ProxyNode.fromNode(node);

        assertThat(proxy.address()).isEqualTo("127.0.4.7");
        assertThat(proxy.locality()).isEqualTo(new Locality("us-east", "us-east-1a", "rack-3"));
        assertThat(proxy.localPorts().orElseThrow().egress()).containsExactly(
                new LocalPorts.EgressPort("tcp-echo.default.svc.cluster.local", 9000, 19000));
        assertThat(proxy.localPorts().orElseThrow().workloadPorts()).isEmpty();
    }

    @Test
    void rejectsEgressEntriesWithoutAHostOrPort() {
        Node.Builder node = Node.newBuilder().setId("sidecar~127.0.4.7~a.default~default.svc.cluster.local");
        Value noHost = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(struct(Map.of(
                "port", num(9000), "listen", num(19000))))).build();
        Value noListen = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(struct(Map.of(
                "host", str("a"), "port", num(9000))))).build();

        assertThatThrownBy(() -> ProxyNode.fromNode(node.setMetadata(Struct.newBuilder().putFields(ProxyNode.LOCAL_PORTS_KEY,
                struct(Map.of("outbound", num(1), "admin", num(2), "egress", noHost)))).build()))
                .hasMessageContaining("egress entries need a \"host\"");
        assertThatThrownBy(() -> ProxyNode.fromNode(node.setMetadata(Struct.newBuilder().putFields(ProxyNode.LOCAL_PORTS_KEY,
                struct(Map.of("outbound", num(1), "admin", num(2), "egress", noListen)))).build()))
                .hasMessageContaining("needs a numeric \"listen\"");
        assertThatThrownBy(() -> ProxyNode.fromNode(node.setMetadata(Struct.newBuilder().putFields(ProxyNode.LOCAL_PORTS_KEY,
                struct(Map.of("outbound", num(1), "admin", num(2), "egress", str("x"))))).build()))
                .hasMessageContaining("\"egress\" must be a list");
    }

    @Test
    void rejectsMalformedIdsWithAClearMessage() {
        assertThatThrownBy(() -> ProxyNode.fromNode(Node.newBuilder().setId("sidecar~10.0.0.1").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("four parts");
        assertThatThrownBy(() -> ProxyNode.fromNode(Node.newBuilder().setId("waypoint~10.0.0.1~a.b~d").build()))
                .hasMessageContaining("neither \"sidecar\" nor \"router\"");
        assertThatThrownBy(() -> ProxyNode.fromNode(Node.newBuilder().setId("sidecar~not-an-ip~a.b~d").build()))
                .hasMessageContaining("invalid IP address \"not-an-ip\"");
        assertThatThrownBy(() -> ProxyNode.fromNode(Node.newBuilder().setId("sidecar~10.0.0.1~pod~d").build()))
                .hasMessageContaining("names no namespace");
        assertThatThrownBy(() -> ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.1~pod.ns~d")
                .setMetadata(Struct.newBuilder().putFields(ProxyNode.LOCAL_PORTS_KEY,
                        struct(Map.of("outbound", str("x")))))
                .build()))
                .hasMessageContaining("needs a numeric \"outbound\"");
    }
}
