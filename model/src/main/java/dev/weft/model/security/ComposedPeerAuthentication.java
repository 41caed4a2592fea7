package dev.weft.model.security;

import dev.weft.model.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A workload's effective server-side mTLS, composed from the PeerAuthentications that apply to it as Istio's
 * ComposePeerAuthentication does: the narrowest level wins (workload, a policy with a selector, over namespace over
 * mesh, one in the root namespace without a selector), the oldest policy within a level, UNSET inherits level by
 * level, and with nothing set the mode is PERMISSIVE. Port-level modes come from the winning workload policy and
 * are keyed by workload (container) port. The proxy's translation and {@code weft analyze} both compose here.
 *
 * @param mode the workload's mode
 * @param decidedBy the policy whose level set {@code mode}; empty when none set one (PERMISSIVE by default)
 * @param portModes the modes of the workload policy's ports, UNSET ones inheriting {@code mode}
 */
public record ComposedPeerAuthentication(MtlsMode mode, Optional<Resource<PeerAuthentication>> decidedBy,
    Map<Integer, MtlsMode> portModes) {

  public ComposedPeerAuthentication {
    portModes = Map.copyOf(portModes);
  }

  /** {@code applying}: the policies that apply to the workload (its namespace's and the root namespace's), oldest first. */
  public static ComposedPeerAuthentication compose(List<Resource<PeerAuthentication>> applying,
      String rootNamespace) {
    Optional<Resource<PeerAuthentication>> mesh = applying.stream()
        .filter(p -> p.namespace().equals(rootNamespace) && unselected(p)).findFirst();
    Optional<Resource<PeerAuthentication>> namespace = applying.stream()
        .filter(p -> !p.namespace().equals(rootNamespace) && unselected(p)).findFirst();
    Optional<Resource<PeerAuthentication>> workload = applying.stream().filter(p -> !unselected(p)).findFirst();
    MtlsMode mode = MtlsMode.PERMISSIVE;
    Optional<Resource<PeerAuthentication>> decidedBy = Optional.empty();
    for (Optional<Resource<PeerAuthentication>> level : List.of(mesh, namespace, workload)) {
      if (level.isPresent() && isSet(level.get().spec().mtls())) {
        mode = level.get().spec().mtls().mode();
        decidedBy = level;
      }
    }
    Map<Integer, MtlsMode> ports = new TreeMap<>();
    if (workload.isPresent() && workload.get().spec().portLevelMtls() != null) {
      MtlsMode workloadMode = mode;
      workload.get().spec().portLevelMtls()
          .forEach((port, mtls) -> ports.put(port, isSet(mtls) ? mtls.mode() : workloadMode));
    }
    return new ComposedPeerAuthentication(mode, decidedBy, ports);
  }

  private static boolean unselected(Resource<PeerAuthentication> policy) {
    return policy.spec().selector() == null || policy.spec().selector().matchLabels() == null
        || policy.spec().selector().matchLabels().isEmpty();
  }

  private static boolean isSet(PeerMutualTls mtls) {
    return mtls != null && mtls.mode() != null && mtls.mode() != MtlsMode.UNSET;
  }
}
