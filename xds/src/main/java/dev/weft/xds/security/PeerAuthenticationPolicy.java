package dev.weft.xds.security;

import dev.weft.model.Resource;
import dev.weft.model.security.MtlsMode;
import dev.weft.model.security.PeerAuthentication;
import dev.weft.model.security.PeerMutualTls;
import dev.weft.xds.push.PushContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A workload's effective server-side mTLS, composed from the PeerAuthentications that apply to it as Istio's
 * ComposePeerAuthentication does: the narrowest level wins (workload over namespace over mesh), the oldest
 * policy within a level, UNSET inherits level by level, and with nothing set the mode is PERMISSIVE. Port-level
 * modes come from the winning workload policy and are keyed by workload (container) port.
 */
public record PeerAuthenticationPolicy(MtlsMode workloadMode, Map<Integer, MtlsMode> portModes) {

    public PeerAuthenticationPolicy {
        portModes = Map.copyOf(portModes);
    }

    /** {@code policies} as {@link PushContext#peerAuthenticationsFor} gives them: applying, oldest first. */
    public static PeerAuthenticationPolicy compose(List<Resource<PeerAuthentication>> policies, String rootNamespace) {
        Optional<Resource<PeerAuthentication>> mesh = policies.stream()
                .filter(p -> p.namespace().equals(rootNamespace) && unselected(p)).findFirst();
        Optional<Resource<PeerAuthentication>> namespace = policies.stream()
                .filter(p -> !p.namespace().equals(rootNamespace) && unselected(p)).findFirst();
        Optional<Resource<PeerAuthentication>> workload = policies.stream()
                .filter(p -> !unselected(p)).findFirst();
        MtlsMode mode = MtlsMode.PERMISSIVE;
        for (Optional<Resource<PeerAuthentication>> level : List.of(mesh, namespace, workload)) {
            mode = inherit(level.map(p -> p.spec().mtls()).orElse(null), mode);
        }
        Map<Integer, MtlsMode> ports = new TreeMap<>();
        if (workload.isPresent()) {
            MtlsMode workloadMode = mode;
            workload.get().spec().portLevelMtls().forEach((port, mtls) -> ports.put(port, inherit(mtls, workloadMode)));
        }
        return new PeerAuthenticationPolicy(mode, ports);
    }

    private static boolean unselected(Resource<PeerAuthentication> policy) {
        return PushContext.labels(policy.spec().selector()).isEmpty();
    }

    private static MtlsMode inherit(PeerMutualTls mtls, MtlsMode parent) {
        return mtls == null || mtls.mode() == null || mtls.mode() == MtlsMode.UNSET ? parent : mtls.mode();
    }

    /** The mode on a workload port. */
    public MtlsMode modeFor(int port) {
        return portModes.getOrDefault(port, workloadMode);
    }
}
