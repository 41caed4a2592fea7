package dev.weft.model.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.Resource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Istio's composition of the PeerAuthentications that apply to one workload. */
class ComposedPeerAuthenticationTest {

  private static String policy(String name, String namespace, String created, String spec) {
    return """
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: %s, namespace: %s, creationTimestamp: "%s"}
        spec: %s
        """.formatted(name, namespace, created, spec);
  }

  /** The policies of {@code yaml}, oldest first, as the callers pass them. */
  private static List<Resource<PeerAuthentication>> applying(String yaml) {
    LoadResult loaded = new ConfigLoader().loadString(yaml, "pa.yaml");
    assertThat(loaded.errors()).isEmpty();
    return loaded.snapshot().peerAuthentications().stream()
        .sorted(Comparator.comparing((Resource<PeerAuthentication> p) -> p.metadata().creationTimestamp()))
        .toList();
  }

  private static ComposedPeerAuthentication compose(String yaml) {
    return ComposedPeerAuthentication.compose(applying(yaml), "istio-system");
  }

  private static String name(ComposedPeerAuthentication composed) {
    return composed.decidedBy().map(Resource::name).orElse("-");
  }

  @Test
  void withoutPoliciesTheModeIsPermissiveAndNothingDecidedIt() {
    ComposedPeerAuthentication none = ComposedPeerAuthentication.compose(List.of(), "istio-system");
    assertThat(none.mode()).isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(none.decidedBy()).isEmpty();
    assertThat(none.portModes()).isEmpty();
  }

  @Test
  void theNarrowestLevelThatSetsAModeWinsAndUnsetInherits() {
    String mesh = policy("mesh", "istio-system", "2026-01-01T00:00:00Z", "{mtls: {mode: STRICT}}");
    String namespace = policy("ns", "default", "2026-01-02T00:00:00Z", "{mtls: {mode: PERMISSIVE}}");
    String workloadUnset = policy("reviews", "default", "2026-01-03T00:00:00Z",
        "{selector: {matchLabels: {app: reviews}}, mtls: {mode: UNSET}}");

    ComposedPeerAuthentication meshOnly = compose(mesh);
    assertThat(meshOnly.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(name(meshOnly)).isEqualTo("mesh");
    ComposedPeerAuthentication namespaced = compose(mesh + namespace);
    assertThat(namespaced.mode()).isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(name(namespaced)).isEqualTo("ns");
    ComposedPeerAuthentication inherited = compose(mesh + namespace + workloadUnset);
    assertThat(inherited.mode()).as("UNSET inherits the namespace's").isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(name(inherited)).isEqualTo("ns");
    assertThat(compose(mesh + workloadUnset).mode()).isEqualTo(MtlsMode.STRICT);
  }

  @Test
  void theOldestPolicyOfALevelWins() {
    ComposedPeerAuthentication composed = compose(
        policy("newer", "default", "2026-02-01T00:00:00Z", "{mtls: {mode: DISABLE}}")
            + policy("older", "default", "2026-01-01T00:00:00Z", "{mtls: {mode: STRICT}}"));
    assertThat(composed.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(name(composed)).isEqualTo("older");
  }

  @Test
  void portModesComeFromTheWorkloadPolicyAndUnsetPortsInheritItsMode() {
    ComposedPeerAuthentication composed = compose(
        policy("mesh", "istio-system", "2026-01-01T00:00:00Z", "{mtls: {mode: STRICT}}")
            + policy("reviews", "default", "2026-01-02T00:00:00Z", """
                {selector: {matchLabels: {app: reviews}}, portLevelMtls: {8080: {mode: DISABLE}, 9000: {mode: UNSET}}}"""));
    assertThat(composed.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(name(composed)).isEqualTo("mesh");
    assertThat(composed.portModes()).isEqualTo(Map.of(8080, MtlsMode.DISABLE, 9000, MtlsMode.STRICT));
  }
}
