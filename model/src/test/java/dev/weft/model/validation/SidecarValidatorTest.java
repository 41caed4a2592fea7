package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SidecarValidatorTest {
  private static String sidecar(String spec) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: bookinfo}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void typicalSidecarIsValid() {
    assertThat(errors(sidecar("""
        workloadSelector: {labels: {app: ratings}}
        ingress:
        - port: {number: 9080, protocol: HTTP, name: http}
          defaultEndpoint: 127.0.0.1:8080
        egress:
        - port: {number: 3306, protocol: MYSQL, name: mysql}
          hosts: [prod/mysql.prod.svc.cluster.local]
        - hosts: [./*, istio-system/*, "~/*"]
        outboundTrafficPolicy: {mode: REGISTRY_ONLY}
        """))).isEmpty();
  }

  @Test
  void egressListenerNeedsHosts() {
    assertThat(errors(sidecar("egress: [{port: {number: 80, name: http, protocol: HTTP}}]"))).containsExactly(
        "spec.egress[0].hosts: egress listener must contain at least one host");
  }

  @Test
  void selectAllCannotBeCombined() {
    assertThat(errors(sidecar("egress: [{hosts: [\"*/*\", \"./foo.com\"]}]"))).containsExactly(
        "spec.egress[0].hosts: `*/*` host select all resources, no other hosts can be added");
  }

  @Test
  void allowAnyDynamicDnsIsMeshConfigOnly() {
    assertThat(errors(sidecar("outboundTrafficPolicy: {mode: ALLOW_ANY_DYNAMIC_DNS}"))).containsExactly(
        "spec.outboundTrafficPolicy.mode: ALLOW_ANY_DYNAMIC_DNS mode is only supported in MeshConfig");
  }

  @Test
  void egressProxyOnlyWithAllowAnyAndAPort() {
    assertThat(errors(sidecar("outboundTrafficPolicy: {mode: REGISTRY_ONLY, egressProxy: {host: proxy.example.com}}")))
        .containsExactly(
            "spec.outboundTrafficPolicy.egressProxy: sidecar: egressProxy must be set only with ALLOW_ANY"
                + " outboundTrafficPolicy mode",
            "spec.outboundTrafficPolicy.egressProxy.port: Required value: sidecar: egressProxy must have a port");
  }

  @Test
  void catchAllEgressListenerMustBeLast() {
    assertThat(errors(sidecar("""
        egress:
        - hosts: ["*/*"]
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["./*"]
        """))).containsExactly(
        "spec.egress[0]: sidecar: the egress listener with empty port should be the last listener in the list");
  }

  @Test
  void hostsNeedANamespace() {
    assertThat(errors(sidecar("egress: [{hosts: [foo.com]}]"))).containsExactly(
        "spec.egress[0].hosts[0]: sidecar: host must be of form namespace/dnsName, got \"foo.com\"");
  }

  @Test
  void ingressRules() {
    assertThat(errors(sidecar("""
        ingress:
        - port: {number: 9080, protocol: HTTP, name: http}
          defaultEndpoint: 10.0.0.1:8080
          tls: {mode: ISTIO_MUTUAL}
        - defaultEndpoint: 127.0.0.1:99999
        """))).containsExactly(
        "spec.ingress[0].defaultEndpoint: sidecar: defaultEndpoint must be of form 127.0.0.1:<port>, 0.0.0.0:<port>,"
            + " [::1]:<port>, [::]:<port>, unix://filepath, or unset",
        "spec.ingress[0].tls.mode: sidecar: only SIMPLE and MUTUAL TLS modes are supported for ingress listeners",
        "spec.ingress[1].port: Required value: sidecar: ingress listener must have a port",
        "spec.ingress[1].defaultEndpoint: sidecar: defaultEndpoint must be of form 127.0.0.1:<port>, 0.0.0.0:<port>,"
            + " [::1]:<port>, [::]:<port>, unix://filepath, or unset");
  }

  @Test
  void duplicateEgressPortsAreRejected() {
    assertThat(errors(sidecar("""
        egress:
        - port: {number: 80, name: a, protocol: HTTP}
          hosts: ["./*"]
        - port: {number: 80, name: b, protocol: HTTP}
          hosts: ["./*"]
        """))).containsExactly(
        "spec.egress[1].port: sidecar: egress listeners must have a unique port and bind address");
  }
}
