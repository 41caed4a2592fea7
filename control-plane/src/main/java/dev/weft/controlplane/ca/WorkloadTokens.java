package dev.weft.controlplane.ca;

import java.util.Map;

/**
 * Who a caller of weftd is, from the bearer token it sends: in local mode {@code weft up} issues each sidecar a
 * token for its workload's identity; on Kubernetes the pod's service-account token is reviewed by the API server.
 */
@FunctionalInterface
public interface WorkloadTokens {

    /** The token's workload identity; {@link TokenRefused} says why the token names none. */
    SpiffeId identify(String token) throws TokenRefused;

    /** A fixed set of tokens, for local meshes and tests. */
    static WorkloadTokens of(Map<String, SpiffeId> tokens) {
        Map<String, SpiffeId> copy = Map.copyOf(tokens);
        return token -> {
            SpiffeId identity = copy.get(token);
            if (identity == null) {
                throw new TokenRefused("not a known workload token");
            }
            return identity;
        };
    }
}
