package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetadataValidatorTest {
  @Test
  void namesNamespacesAndLabelsFollowKubernetesRules() {
    assertThat(errors("""
        apiVersion: v1
        kind: Service
        metadata:
          name: Reviews_V1
          namespace: Prod
          labels: {"app.kubernetes.io/name": reviews, "bad key!": x}
        """)).containsExactly(
        "metadata.name: Invalid value: \"Reviews_V1\": a lowercase RFC 1123 label must consist of lower case"
            + " alphanumeric characters or '-', and must start and end with an alphanumeric character",
        "metadata.namespace: Invalid value: \"Prod\": a lowercase RFC 1123 label must consist of lower case"
            + " alphanumeric characters or '-', and must start and end with an alphanumeric character",
        "metadata.labels[bad key!]: Invalid value: \"bad key!\": invalid label key");
  }

  @Test
  void namesAreAtMost253CharactersAndAServicesOrNamespaces63AndAnOverlongOneIsNotEchoedWhole() {
    String rule = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: %s}\nspec: {host: a}\n";
    String service = "apiVersion: v1\nkind: Service\nmetadata: {name: %s}\n";
    String name253 = ("a".repeat(62) + ".").repeat(4) + "a";

    assertThat(name253).hasSize(253);
    assertThat(errors(rule.formatted(name253))).isEmpty();
    assertThat(errors(rule.formatted(name253 + "b"))).containsExactly("metadata.name: Invalid value: \""
        + name253.substring(0, 64) + "… (254 characters)\": must be no more than 253 characters");
    assertThat(errors(rule.formatted("x".repeat(1_000_000)))).singleElement().asString()
        .contains("… (1000000 characters)").hasSizeLessThan(200);
    assertThat(errors(service.formatted("s".repeat(63)))).isEmpty();
    assertThat(errors(service.formatted("s".repeat(64)))).containsExactly("metadata.name: Invalid value: \""
        + "s".repeat(64) + "\": must be no more than 63 characters");
  }

  @Test
  void annotationsTogetherAreAtMost256KiBAsInKubernetes() {
    String namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: n, annotations: {a: %s}}\n";

    assertThat(errors(namespace.formatted("x".repeat(256 * 1024 - 1)))).isEmpty();
    assertThat(errors(namespace.formatted("x".repeat(256 * 1024)))).containsExactly(
        "metadata.annotations: Too long: must have at most 262144 bytes (has 262145)");
  }

  @Test
  void validMetadataPasses() {
    assertThat(errors("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: istio-system, labels: {istio-injection: enabled, "topology.istio.io/network": ""}}
        """)).isEmpty();
  }
}
