package dev.weft.model.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.Kind;
import dev.weft.model.networking.Percent;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicyRetryBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our records accept every field of Istio's protos, checked against fabric8's istio-model (generated from
 * istio/api): same JSON names, same shapes, and every enum value. Istio YAML using a field we lacked would
 * otherwise be rejected as an unknown field.
 */
class IstioFieldCoverageTest {

  private static final Map<Kind, Class<?>> FABRIC8_RESOURCES = Map.ofEntries(
      Map.entry(Kind.VIRTUAL_SERVICE, io.fabric8.istio.api.networking.v1.VirtualService.class),
      Map.entry(Kind.DESTINATION_RULE, io.fabric8.istio.api.networking.v1.DestinationRule.class),
      Map.entry(Kind.GATEWAY, io.fabric8.istio.api.networking.v1.Gateway.class),
      Map.entry(Kind.SERVICE_ENTRY, io.fabric8.istio.api.networking.v1.ServiceEntry.class),
      Map.entry(Kind.WORKLOAD_ENTRY, io.fabric8.istio.api.networking.v1.WorkloadEntry.class),
      Map.entry(Kind.WORKLOAD_GROUP, io.fabric8.istio.api.networking.v1.WorkloadGroup.class),
      Map.entry(Kind.SIDECAR, io.fabric8.istio.api.networking.v1.Sidecar.class),
      Map.entry(Kind.PEER_AUTHENTICATION, io.fabric8.istio.api.security.v1.PeerAuthentication.class),
      Map.entry(Kind.REQUEST_AUTHENTICATION, io.fabric8.istio.api.security.v1.RequestAuthentication.class),
      Map.entry(Kind.AUTHORIZATION_POLICY, io.fabric8.istio.api.security.v1.AuthorizationPolicy.class),
      Map.entry(Kind.TELEMETRY, io.fabric8.istio.api.telemetry.v1.Telemetry.class));

  /**
   * Fields and enum values we accept that fabric8 7.5.2 does not know, each with where it comes from.
   * Listing them exactly means a misspelt field (which shows up here as an extra) cannot slip through.
   */
  private static final Map<String, String> NEWER_THAN_FABRIC8 = Map.ofEntries(
      Map.entry("HTTPRedirect.prefixRewrite", "Istio 1.31 change notes: HTTPRedirect prefix_rewrite"),
      Map.entry("HTTPSettings.http2KeepAlive", "Istio 1.31 change notes: HTTP/2 keepalive PINGs via DestinationRule"),
      Map.entry("LoadBalancerSettings.zoneAwareLbSetting", "Istio 1.31 change notes: zoneAwareLbSetting"),
      Map.entry("OutboundTrafficMode.ALLOW_ANY_DYNAMIC_DNS", "Istio 1.31 change notes (MeshConfig only; Sidecar rejects it)"),
      Map.entry("RetryBudget.budgetInterval", "Istio 1.31 change notes: RetryBudget budget_interval"),
      Map.entry("Source.trustDomains", "Istio 1.31 change notes: AuthorizationPolicy Source trustDomains"),
      Map.entry("Source.notTrustDomains", "Istio 1.31 change notes: AuthorizationPolicy Source notTrustDomains"),
      Map.entry("Tracing.disableContextPropagation", "Istio 1.30 change notes: Telemetry tracing disableContextPropagation"),
      Map.entry("ServerTLSSettings.insecureSkipVerify", "SEMANTICS.md (Gateway API AllowInsecureFallback, Istio 1.31)"),
      Map.entry("OutlierDetection.outlierDetectionHttpErrorCodes", "SEMANTICS.md; not found in istio/api as stored"),
      Map.entry("JWTRule.presence", "Istio corpus: reqauth-valid.yaml uses it, reqauth-invalid.yaml rejects MANDATORY"));

  /**
   * Paths fabric8 cannot describe, checked by hand instead: RingHash is {@code minimumRingSize} (istiod reads
   * consistentHash.ringHash.minimumRingSize).
   */
  private static final Set<String> UNVERIFIABLE = Set.of(
      "RingHash (fabric8 LoadBalancerSettingsConsistentHashLBRingHash)");

  @Test
  void everyFieldFabric8KnowsIsAcceptedByOurRecords() throws NoSuchFieldException {
    List<String> gaps = new ArrayList<>();
    Set<String> extras = new TreeSet<>();
    Set<String> unverifiable = new TreeSet<>();
    int compared = 0;
    for (Kind kind : istioKinds()) {
      Class<?> spec = FABRIC8_RESOURCES.get(kind).getDeclaredField("spec").getType();
      FieldCoverage.Report report = FieldCoverage.compare(kind.specType(), spec, kind.kindName() + ".spec");
      gaps.addAll(report.gaps());
      extras.addAll(report.extras());
      unverifiable.addAll(report.unverifiable());
      compared += report.comparedFields();
    }

    assertThat(gaps).as("Istio fields our records reject or bind with the wrong shape").isEmpty();
    assertThat(extras).as("our fields beyond fabric8 7.5.2").isEqualTo(NEWER_THAN_FABRIC8.keySet());
    assertThat(unverifiable).isEqualTo(UNVERIFIABLE);
    assertThat(compared).as("fields compared across all kinds").isGreaterThan(450);
  }

  @Test
  void everyIstioKindHasAFabric8Counterpart() {
    assertThat(FABRIC8_RESOURCES.keySet()).containsExactlyInAnyOrderElementsOf(istioKinds());
  }

  @Test
  void reportsMissingFieldsWrongShapesAndMissingEnumValues() {
    FieldCoverage.Report budget = FieldCoverage.compare(PercentAsMessage.class, TrafficPolicyRetryBudget.class, "rb");
    assertThat(budget.gaps()).containsExactlyInAnyOrder(
        "rb.minRetryConcurrency: missing (fabric8 TrafficPolicyRetryBudget has it as java.lang.Long)",
        "rb.percent: fabric8 has NUMBER (java.lang.Double), ours is OBJECT (dev.weft.model.networking.Percent)");
    assertThat(budget.extras()).containsExactly("PercentAsMessage.budget");

    FieldCoverage.Report tls = FieldCoverage.compare(TwoModeTls.class, ClientTLSSettings.class, "tls");
    assertThat(tls.gaps()).anyMatch(g -> g.startsWith("tls.mode: enum TwoModes lacks ISTIO_MUTUAL"));
    assertThat(tls.gaps()).anyMatch(g -> g.startsWith("tls.sni: missing"));
  }

  @Test
  void flattensOneofMembersIntoTheirMessage() {
    assertThat(FieldCoverage.jsonFields(io.fabric8.istio.api.api.networking.v1alpha3.StringMatch.class))
        .containsOnlyKeys("exact", "prefix", "regex");
  }

  private static List<Kind> istioKinds() {
    return Arrays.stream(Kind.values()).filter(Kind::isIstio).toList();
  }

  record PercentAsMessage(Percent percent, String budget) {}

  enum TwoModes { DISABLE, SIMPLE }

  record TwoModeTls(TwoModes mode) {}
}
