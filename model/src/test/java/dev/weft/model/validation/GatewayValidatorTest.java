package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static dev.weft.model.validation.ValidationFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayValidatorTest {
  private static String gateway(String servers) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: ingress, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
        """ + servers.indent(2);
  }

  @Test
  void httpAndHttpsServersAreValid() {
    assertThat(errors(gateway("""
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
          tls: {httpsRedirect: true}
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo/reviews.example.com, ./a.example.com]
          tls: {mode: SIMPLE, credentialName: bookinfo-cert}
        """))).isEmpty();
  }

  @Test
  void portNamesMustBeUnique() {
    assertThat(errors(gateway("""
        - port: {number: 80, name: web, protocol: HTTP}
          hosts: [a.example.com]
        - port: {number: 8080, name: web, protocol: HTTP}
          hosts: [b.example.com]
        """))).containsExactly("spec.servers[1].port.name: port names in servers must be unique: duplicate name web");
  }

  @Test
  void repeatingANameForTheSamePortIsOnlyAWarning() {
    String servers = gateway("""
        - port: {number: 80, name: web, protocol: HTTP}
          hosts: [a.example.com]
        - port: {number: 80, name: web, protocol: HTTP}
          hosts: [b.example.com]
        """);
    assertThat(errors(servers)).isEmpty();
    assertThat(warnings(servers)).containsExactly(
        "spec.servers[1].port.name: port names in servers must be unique: duplicate name web");
  }

  @Test
  void serverNeedsHostsPortNameAndKnownProtocol() {
    assertThat(errors(gateway("- port: {number: 0, protocol: SMTP}"))).containsExactly(
        "spec.servers[0].hosts: server config must contain at least one host",
        "spec.servers[0].port.number: Invalid value: 0: port must be between 1-65535",
        "spec.servers[0].port.protocol: Unsupported value: \"SMTP\": supported values: \"GRPC\", \"GRPC-WEB\","
            + " \"HTTP\", \"HTTP2\", \"HTTPS\", \"HTTP_PROXY\", \"MONGO\", \"MYSQL\", \"REDIS\", \"TCP\", \"TLS\", \"UDP\"",
        "spec.servers[0].port.name: Required value: port name must be set");
  }

  @Test
  void hostsAreNamespaceSlashDnsName() {
    assertThat(errors(gateway("""
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["Bad_NS/a.example.com", "ns/bad..name"]
        """))).containsExactly(
        "spec.servers[0].hosts[0]: invalid namespace value \"Bad_NS\" in host \"Bad_NS/a.example.com\"",
        "spec.servers[0].hosts[1]: domain name \"bad..name\" invalid (label \"\" invalid)");
  }

  @Test
  void tlsRules() {
    assertThat(errors(gateway("- port: {number: 443, name: https, protocol: HTTPS}\n  hosts: [\"*\"]")))
        .containsExactly("spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols");
    assertThat(errors(gateway("""
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: ["*"]
          tls: {mode: MUTUAL}
        """))).containsExactly(
        "spec.servers[0].tls.serverCertificate: MUTUAL TLS requires a server certificate",
        "spec.servers[0].tls.privateKey: MUTUAL TLS requires a private key",
        "spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle");
    assertThat(errors(gateway("""
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: ["*"]
          tls: {mode: ISTIO_MUTUAL, credentialName: c}
        """))).containsExactly(
        "spec.servers[0].tls: ISTIO_MUTUAL TLS cannot have associated private key, server certificate, or ca certificates");
    assertThat(errors(gateway("""
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: ["*"]
          tls: {mode: SIMPLE, credentialNames: [a, b, c]}
        """))).containsExactly("spec.servers[0].tls.credentialNames: Too many: 3: must have at most 2 items");
  }

  @Test
  void gatewayWithoutServersIsOnlyAWarning() {
    String empty = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: nothing}
        spec: {selector: {istio: ingressgateway}}
        """;
    assertThat(errors(empty)).isEmpty();
    assertThat(warnings(empty)).containsExactly("spec.servers: gateway must have at least one server");
  }

  @Test
  void selectorsRejectWildcards() {
    assertThat(errors("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: g}
        spec:
          selector: {istio: "*"}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        """)).containsExactly("spec.selector[istio]: wildcard is not supported in selector");
  }
}
