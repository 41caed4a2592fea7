package dev.weft.xds.security;

import dev.weft.model.Resource;
import dev.weft.model.security.ComposedPeerAuthentication;
import dev.weft.model.security.MtlsMode;
import dev.weft.model.security.PeerAuthentication;
import dev.weft.xds.push.PushContext;
import java.util.List;
import java.util.Map;

/**
 * A workload's effective server-side mTLS, as the model composes it ({@link ComposedPeerAuthentication}: Istio's
 * ComposePeerAuthentication), in the form the listeners and endpoints read: the workload's mode and its ports'.
 */
public record PeerAuthenticationPolicy(MtlsMode workloadMode, Map<Integer, MtlsMode> portModes) {

    public PeerAuthenticationPolicy {
        portModes = Map.copyOf(portModes);
    }

    /** {@code policies} as {@link PushContext#peerAuthenticationsFor} gives them: applying, oldest first. */
    public static PeerAuthenticationPolicy compose(List<Resource<PeerAuthentication>> policies, String rootNamespace) {
        ComposedPeerAuthentication composed = ComposedPeerAuthentication.compose(policies, rootNamespace);
        return new PeerAuthenticationPolicy(composed.mode(), composed.portModes());
    }

    /** The mode on a workload port. */
    public MtlsMode modeFor(int port) {
        return portModes.getOrDefault(port, workloadMode);
    }
}
