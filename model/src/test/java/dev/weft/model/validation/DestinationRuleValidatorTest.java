package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static dev.weft.model.validation.ValidationFixture.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.networking.ClientTLSMode;
import dev.weft.model.networking.SimpleLB;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationRuleValidatorTest {
  private static String rule(String spec) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
        """ + spec.indent(2);
  }

  @Test
  void bindsAndNormalisesAFullRule() {
    var rule = load(rule("""
        trafficPolicy:
          loadBalancer: {simple: ROUND_ROBIN}
          connectionPool: {tcp: {maxConnections: 100, connectTimeout: 30ms}, http: {http1MaxPendingRequests: 1}}
          outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}
          tls: {mode: ISTIO_MUTUAL}
          portLevelSettings:
          - port: {number: 9080}
            loadBalancer: {consistentHash: {httpCookie: {name: user, ttl: 0s}}}
        subsets:
        - {name: v1, labels: {version: v1}}
        - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {simple: RANDOM}}}
        """)).snapshot().destinationRules().getFirst();

    assertThat(rule.spec().host()).isEqualTo("reviews.default.svc.cluster.local");
    assertThat(rule.spec().trafficPolicy().loadBalancer().simple()).isEqualTo(SimpleLB.ROUND_ROBIN);
    assertThat(rule.spec().trafficPolicy().connectionPool().tcp().connectTimeout()).isEqualTo(Duration.ofMillis(30));
    assertThat(rule.spec().trafficPolicy().outlierDetection().consecutive5xxErrors()).isEqualTo(1);
    assertThat(rule.spec().trafficPolicy().outlierDetection().consecutiveGatewayErrors()).as("unset wrapper").isNull();
    assertThat(rule.spec().trafficPolicy().tls().mode()).isEqualTo(ClientTLSMode.ISTIO_MUTUAL);
    assertThat(rule.spec().subsets()).extracting(s -> s.name()).containsExactly("v1", "v2");
  }

  @Test
  void workloadSelectorTakesMatchLabelsLikeIstiosTypeSelector() {
    var rule = load(rule("workloadSelector: {matchLabels: {app: ratings}}")).snapshot().destinationRules().getFirst();
    assertThat(rule.spec().workloadSelector().matchLabels()).containsExactly(Map.entry("app", "ratings"));
    assertThat(errors(rule("workloadSelector: {labels: {app: ratings}}"))).containsExactly(
        "spec.workloadSelector.labels: unknown field \"labels\"");
    assertThat(errors(rule("workloadSelector: {matchLabels: {\"a b\": x}}"))).hasSize(1)
        .allSatisfy(e -> assertThat(e).startsWith("spec.workloadSelector.matchLabels"));
  }

  @Test
  void retryBudgetBindsItsInterval() {
    var budget = load(rule("trafficPolicy: {retryBudget: {percent: 25.5, minRetryConcurrency: 4, budgetInterval: 10s}}"))
        .snapshot().destinationRules().getFirst().spec().trafficPolicy().retryBudget();
    assertThat(budget.percent()).isEqualTo(25.5);
    assertThat(budget.minRetryConcurrency()).isEqualTo(4);
    assertThat(budget.budgetInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void subsetNamesMustBeUnique() {
    assertThat(errors(rule("subsets: [{name: v1}, {name: v1}]"))).containsExactly(
        "spec.subsets[1].name: duplicate subset names: v1");
  }

  @Test
  void istioMutualTakesNoCertificates() {
    assertThat(errors(rule("trafficPolicy: {tls: {mode: ISTIO_MUTUAL, clientCertificate: /etc/cert.pem}}")))
        .containsExactly("spec.trafficPolicy.tls: ISTIO_MUTUAL TLS cannot have associated client certificate,"
            + " private key, CA certificates, CRL or credential name");
  }

  @Test
  void mutualNeedsCertificateAndKeyOrCredential() {
    assertThat(errors(rule("trafficPolicy: {tls: {mode: MUTUAL}}"))).containsExactly(
        "spec.trafficPolicy.tls.clientCertificate: client certificate required for mutual tls",
        "spec.trafficPolicy.tls.privateKey: private key required for mutual tls");
    assertThat(errors(rule("trafficPolicy: {tls: {mode: MUTUAL, credentialName: client-cert}}"))).isEmpty();
  }

  @Test
  void distributeAndFailoverAreExclusive() {
    assertThat(errors(rule("""
        trafficPolicy:
          loadBalancer:
            localityLbSetting:
              distribute: [{from: us-west/*, to: {"us-west/*": 80, "us-east/*": 20}}]
              failover: [{from: us-west, to: us-east}]
        """))).containsExactly(
        "spec.trafficPolicy.loadBalancer.localityLbSetting: can not simultaneously specify 'distribute' and 'failover'");
  }

  @Test
  void failoverWithTopologyPriorityLabelsIsRejected() {
    assertThat(errors(rule("""
        trafficPolicy:
          loadBalancer:
            localityLbSetting:
              failover: [{from: us-west, to: us-east}]
              failoverPriority: [topology.kubernetes.io/region, network]
          outlierDetection: {consecutive5xxErrors: 5}
        """))).containsExactly("spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority[0]: can not"
        + " simultaneously set 'failover' and topology label 'topology.kubernetes.io/region' in 'failover_priority'");
  }

  @Test
  void distributeWeightsSumTo100() {
    assertThat(errors(rule("trafficPolicy: {loadBalancer: {localityLbSetting: {distribute: [{from: a, to: {b: 50}}]}}}")))
        .containsExactly("spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: if 'to' is specified,"
            + " the sum of weights must be 100 (got 50)");
  }

  @Test
  void connectionPoolRules() {
    assertThat(errors(rule("trafficPolicy: {connectionPool: {http: {useClientProtocol: true, h2UpgradePolicy: UPGRADE}}}")))
        .containsExactly("spec.trafficPolicy.connectionPool.http.useClientProtocol: use client protocol must not be"
            + " true when h2UpgradePolicy is UPGRADE");
    assertThat(errors(rule("trafficPolicy: {connectionPool: {}}"))).containsExactly(
        "spec.trafficPolicy.connectionPool: connection pool must have at least one field");
  }

  @Test
  void outlierDetectionRanges() {
    assertThat(errors(rule("trafficPolicy: {outlierDetection: {maxEjectionPercent: 150, interval: 0s}}")))
        .containsExactly(
            "spec.trafficPolicy.outlierDetection.interval: Invalid value: \"0ms\": duration must be greater than 1ms",
            "spec.trafficPolicy.outlierDetection.maxEjectionPercent: max ejection percent must be in range [0, 100]");
  }

  @Test
  void warmupOnlyForRoundRobinAndLeastRequest() {
    assertThat(errors(rule("trafficPolicy: {loadBalancer: {simple: RANDOM, warmup: {duration: 10s}}}")))
        .containsExactly("spec.trafficPolicy.loadBalancer: warmup is only supported with ROUND_ROBIN and LEAST_REQUEST"
            + " load balancers");
  }

  @Test
  void enumValuesAreChecked() {
    assertThat(errors(rule("trafficPolicy: {loadBalancer: {simple: FASTEST}}"))).containsExactly(
        "spec.trafficPolicy.loadBalancer.simple: Unsupported value: \"FASTEST\": supported values: \"UNSPECIFIED\","
            + " \"LEAST_CONN\", \"RANDOM\", \"PASSTHROUGH\", \"ROUND_ROBIN\", \"LEAST_REQUEST\"");
  }

  @Test
  void exportToRules() {
    assertThat(errors(rule("exportTo: [\"*\", \".\"]"))).containsExactly(
        "spec.exportTo: exportTo * (all namespaces) cannot be combined with other values");
    assertThat(errors(rule("exportTo: [\".\", default]"))).containsExactly(
        "spec.exportTo: duplicate entries in exportTo: . and the current namespace default");
  }

  @Test
  void workloadSelectorRulesOnlyExportToTheirNamespace() {
    assertThat(errors(rule("workloadSelector: {matchLabels: {app: a}}\nexportTo: [other]"))).containsExactly(
        "spec.exportTo: destination rule with a workloadSelector can only be exported to its own namespace");
  }

  @Test
  void tunnelRules() {
    assertThat(errors(rule("trafficPolicy: {tunnel: {protocol: GET, targetHost: proxy.example.com, targetPort: 0}}")))
        .containsExactly(
            "spec.trafficPolicy.tunnel.protocol: Unsupported value: \"GET\": supported values: \"CONNECT\", \"POST\"",
            "spec.trafficPolicy.tunnel.targetPort: Invalid value: 0: port must be between 1-65535");
  }

  @Test
  void zoneAwareBalancing() {
    assertThat(errors(rule("trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN, zoneAwareLbSetting: {enabled: true,"
        + " minClusterSize: 3, failover: [{from: us-east, to: eu-west}]}}}"))).isEmpty();
    assertThat(errors(rule("""
        trafficPolicy:
          loadBalancer:
            localityLbSetting: {enabled: true}
            zoneAwareLbSetting:
              enabled: true
              failoverPriority: [topology.kubernetes.io/zone]
        """))).containsExactly(
        "spec.trafficPolicy.loadBalancer.zoneAwareLbSetting.failoverPriority[0]: failoverPriority must not include the"
            + " topology label topology.kubernetes.io/zone with zone-aware load balancing",
        "spec.trafficPolicy.loadBalancer: only one of localityLbSetting or zoneAwareLbSetting may be set");
  }
}
