package dev.weft.controlplane.ads;

import dev.weft.controlplane.ca.Caller;
import dev.weft.controlplane.ca.SpiffeId;
import dev.weft.controlplane.ca.TokenRefused;
import dev.weft.controlplane.ca.WorkloadTokens;
import dev.weft.model.EchoedValue;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Optional;

/**
 * istiod's xDS authentication on a platform that vouches for its workloads (Kubernetes): the caller's identity, from
 * its mesh certificate or its bearer token, must be the workload its node claims to be, that is the namespace weftd
 * scopes its config by and, when the node names one, its SERVICE_ACCOUNT. A pod of one namespace cannot read another
 * namespace's config by claiming it.
 */
public final class WorkloadIdentityAdmission implements ProxyAdmission {

    private final WorkloadTokens tokens;

    public WorkloadIdentityAdmission(WorkloadTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<String> refusal(Node node, Caller caller) {
        String shown = "node \"" + EchoedValue.of(node.getId()) + "\"";
        SpiffeId identity;
        try {
            identity = caller.identify(tokens);
        } catch (TokenRefused e) {
            return Optional.of(shown + " is not an authenticated workload: " + e.getMessage());
        }
        ProxyNode claimed;
        try {
            claimed = ProxyNode.fromNode(node);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the stream refuses an unreadable node next, with what is wrong
        }
        if (!claimed.namespace().equals(identity.namespace())) {
            return Optional.of(shown + " claims namespace " + EchoedValue.of(claimed.namespace()) + " but its caller is "
                    + identity.uri());
        }
        if (!claimed.serviceAccount().isEmpty() && !claimed.serviceAccount().equals(identity.serviceAccount())) {
            return Optional.of(shown + " claims service account " + EchoedValue.of(claimed.serviceAccount())
                    + " but its caller is " + identity.uri());
        }
        return Optional.empty();
    }
}
