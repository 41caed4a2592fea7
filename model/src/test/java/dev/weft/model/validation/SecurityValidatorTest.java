package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static dev.weft.model.validation.ValidationFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** AuthorizationPolicy, PeerAuthentication and RequestAuthentication rules beyond the Istio corpus. */
class SecurityValidatorTest {
  private static String policy(String spec) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: p, namespace: foo}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void providerOnlyWithCustom() {
    assertThat(errors(policy("action: ALLOW\nprovider: {name: ext-authz}\nrules: [{}]"))).containsExactly(
        "spec.provider: `provider` must not be with non CUSTOM action");
    assertThat(errors(policy("action: CUSTOM\nrules: [{}]"))).containsExactly(
        "spec.provider: `provider.name` must be set with CUSTOM action");
  }

  @Test
  void denyWithoutRulesIsAWarning() {
    assertThat(errors(policy("action: DENY"))).isEmpty();
    assertThat(warnings(policy("action: DENY"))).singleElement().asString()
        .startsWith("spec.rules: DENY action without `rules` is meaningless");
  }

  @Test
  void denyOnHttpOnlyAttributesWarnsAboutTcp() {
    assertThat(warnings(policy("action: DENY\nrules: [{to: [{operation: {methods: [POST]}}]}]"))).singleElement()
        .asString().contains("will deny all traffic to TCP ports");
    assertThat(warnings(policy("action: DENY\nrules: [{to: [{operation: {methods: [POST], ports: [\"8000\"]}}]}]")))
        .isEmpty();
  }

  @Test
  void conditionsNeedValuesAndKnownKeys() {
    assertThat(errors(policy("rules: [{when: [{key: \"request.headers[x-token]\"}]}]"))).containsExactly(
        "spec.rules[0].when[0]: at least one of `values` or `notValues` must be set for key request.headers[x-token]");
    assertThat(errors(policy("rules: [{when: [{key: request.colour, values: [red]}]}]"))).containsExactly(
        "spec.rules[0].when[0].key: unknown attribute (request.colour)");
    assertThat(errors(policy("rules: [{when: [{key: source.ip, values: [10.0.0.0/33]}]}]"))).containsExactly(
        "spec.rules[0].when[0].values[0]: Invalid value: \"10.0.0.0/33\": must be an IP address or CIDR block");
  }

  @Test
  void sourceAndOperationChecks() {
    assertThat(errors(policy("rules: [{from: [{source: {}}], to: [{operation: {ports: [\"http\"]}}]}]")))
        .containsExactly(
            "spec.rules[0].from[0].source: `from.source` must not be empty",
            "spec.rules[0].to[0].operation.ports[0]: Invalid value: \"http\": port must be between 1-65535");
    assertThat(errors(policy("rules: [{from: [{source: {serviceAccounts: [\"ns/*\"]}}]}]"))).containsExactly(
        "spec.rules[0].from[0].source.serviceAccounts[0]: wildcard is not supported in serviceAccounts: ns/*");
    assertThat(errors(policy("rules: [{to: [{operation: {paths: [\"/{**}/x/{*}\"]}}]}]"))).containsExactly(
        "spec.rules[0].to[0].operation.paths[0]: invalid path template \"/{**}/x/{*}\": {**} must be the last operator");
  }

  @Test
  void selectorAndTargetRefsAreExclusiveForAuthorizationPolicyToo() {
    assertThat(errors(policy("selector: {matchLabels: {app: a}}\ntargetRefs: [{kind: Gateway, group:"
        + " gateway.networking.k8s.io, name: gw}]\nrules: [{}]")))
        .containsExactly("spec: only one of targetRefs or selector can be set");
  }

  @Test
  void targetRefKindMustBeSupported() {
    assertThat(errors(policy("targetRefs: [{kind: Deployment, group: apps, name: d}]\nrules: [{}]")))
        .singleElement().asString().startsWith("spec.targetRefs[0]: Unsupported value: \"apps/Deployment\"");
  }

  @Test
  void peerAuthenticationPortLevelNeedsSelectorAndPorts() {
    String pa = """
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: p}
        spec:
          selector: {matchLabels: {app: a}}
          portLevelMtls: {"8080": {mode: DISABLE}, "70000": {mode: STRICT}}
        """;
    assertThat(errors(pa)).containsExactly("spec.portLevelMtls[70000]: Invalid value: 70000: port must be between 1-65535");
  }

  @Test
  void requestAuthenticationJwtRules() {
    assertThat(errors("""
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt}
        spec:
          jwtRules:
          - jwks: "{}"
            jwksUri: https://example.com/jwks
            timeout: 0s
            outputPayloadToHeader: "x payload"
        """)).containsExactly(
        "spec.jwtRules[0].issuer: Required value",
        "spec.jwtRules[0]: only one of jwks or jwksUri can be set",
        "spec.jwtRules[0].outputPayloadToHeader: Invalid value: \"x payload\": spec.jwtRules[0].outputPayloadToHeader"
            + " in body should match '^[-_A-Za-z0-9]+$'",
        "spec.jwtRules[0].timeout: Invalid value: \"0ms\": must be a valid duration greater than 1ms");
  }
}
