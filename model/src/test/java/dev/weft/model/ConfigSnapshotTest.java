package dev.weft.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import org.junit.jupiter.api.Test;

class ConfigSnapshotTest {
  private static final String CONFIG = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: ingress, namespace: istio-system}
      spec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
      ---
      apiVersion: networking.istio.io/v1beta1
      kind: DestinationRule
      metadata: {name: reviews}
      spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
      ---
      apiVersion: networking.istio.io/v1alpha3
      kind: DestinationRule
      metadata: {name: reviews}
      spec: {host: reviews, subsets: [{name: v2, labels: {version: v2}}]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: reviews-v1, labels: {app: reviews}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: reviews, version: v1}}
        template:
          metadata: {labels: {app: reviews, version: v1}}
          spec:
            serviceAccountName: bookinfo-reviews
            containers: [{name: reviews, image: reviews:1, ports: [{containerPort: 9080}]}]
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: cert, namespace: istio-system}
      type: kubernetes.io/tls
      data: {tls.crt: Y2VydA==, tls.key: a2V5}
      """;

  private final LoadResult result = new ConfigLoader().loadString(CONFIG, "config.yaml");

  @Test
  void typedAccessorsAndLookups() {
    ConfigSnapshot snapshot = result.snapshot();

    assertThat(result.errors()).isEmpty();
    assertThat(snapshot.gateways()).singleElement()
        .satisfies(gw -> assertThat(gw.spec().servers().getFirst().port().number()).isEqualTo(80));
    assertThat(snapshot.deployments().getFirst().spec().template().spec().serviceAccountName())
        .isEqualTo("bookinfo-reviews");
    assertThat(snapshot.deployments().getFirst().spec().template().spec().containers().getFirst().ports()
        .getFirst().containerPort()).isEqualTo(9080);
    assertThat(snapshot.secrets().getFirst().spec().data()).containsOnlyKeys("tls.crt", "tls.key");
    assertThat(snapshot.secrets().getFirst().spec().type()).isEqualTo("kubernetes.io/tls");
    assertThat(snapshot.find(Kind.GATEWAY, "istio-system", "ingress")).isPresent();
    assertThat(snapshot.find(Kind.GATEWAY, "default", "ingress")).isEmpty();
    assertThat(snapshot.ofKind(Kind.SERVICE)).isEmpty();
  }

  @Test
  void aLaterResourceWithTheSameNameReplacesTheEarlierOne() {
    ConfigSnapshot snapshot = result.snapshot();

    assertThat(snapshot.destinationRules()).singleElement()
        .satisfies(dr -> assertThat(dr.apiVersion()).isEqualTo("networking.istio.io/v1alpha3"))
        .satisfies(dr -> assertThat(dr.spec().subsets().getFirst().name()).isEqualTo("v2"));
    assertThat(snapshot.all()).hasSize(4);
  }

  @Test
  void snapshotIsImmutable() {
    ConfigSnapshot snapshot = result.snapshot();

    assertThatThrownBy(() -> snapshot.gateways().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () -> snapshot.gateways().getFirst().spec().servers().getFirst().hosts().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () -> snapshot.secrets().getFirst().spec().data().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void resourcesKnowWhetherTheirNamespaceWasWritten() {
    assertThat(result.snapshot().gateways().getFirst().hasExplicitNamespace()).isTrue();
    assertThat(result.snapshot().destinationRules().getFirst().hasExplicitNamespace()).isFalse();
    assertThat(result.snapshot().destinationRules().getFirst().displayName()).isEqualTo("DestinationRule default/reviews");
  }
}
