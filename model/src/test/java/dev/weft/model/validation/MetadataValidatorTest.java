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
        "metadata.name: Invalid value: \"Reviews_V1\": a lowercase RFC 1123 subdomain must consist of lower case"
            + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        "metadata.namespace: Invalid value: \"Prod\": a lowercase RFC 1123 label must consist of lower case"
            + " alphanumeric characters or '-', and must start and end with an alphanumeric character",
        "metadata.labels[bad key!]: Invalid value: \"bad key!\": invalid label key");
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
