package dev.weft.xds.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.xds.PushFixture;
import dev.weft.xds.mesh.Protocol;
import dev.weft.xds.mesh.ProxyNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundPortTest {

    private static final String SIDECAR = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: app, namespace: default}
            spec:
              workloadSelector: {labels: {app: web}}
              ingress:
              - port: {number: 8080, protocol: HTTP, name: http}
                defaultEndpoint: "[::1]:18080"
              - port: {number: 9000, protocol: TCP, name: tcp}
                defaultEndpoint: "[::]:19000"
                captureMode: NONE
                bind: 10.0.0.7
            """;
    private static final String SERVICE = """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            """;

    private static List<InboundPort> ports(String config) {
        ProxyNode web = PushFixture.node("sidecar~10.0.0.7~web-1.default~default.svc.cluster.local",
                Map.of("app", "web"));
        return InboundPort.of(PushFixture.push(config), web);
    }

    @Test
    void ingressListenersReplaceTheServicePortsWithTheirEndpoints() {
        assertThat(ports(SIDECAR + SERVICE)).containsExactly(
                new InboundPort(8080, Protocol.HTTP, "::1", 18080, Optional.empty(), Optional.empty()),
                new InboundPort(9000, Protocol.TCP, "10.0.0.7", 19000, Optional.empty(), Optional.of("10.0.0.7")));
    }

    @Test
    void ingressListenersNeedTheWorkloadToBelongToAService() {
        assertThat(ports(SIDECAR)).isEmpty();
    }

    @Test
    void withoutIngressTheServicesTargetPortsAreServedOnTheLoopback() {
        assertThat(ports(SERVICE.substring(4))).containsExactly(
                new InboundPort(8080, Protocol.HTTP, "127.0.0.1", 8080, Optional.empty(), Optional.empty()));
    }
}
