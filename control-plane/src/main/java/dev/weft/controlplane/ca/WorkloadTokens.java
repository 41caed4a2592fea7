package dev.weft.controlplane.ca;

import java.util.Map;
import java.util.Optional;

/**
 * Who a caller of the CA is, from the bearer token it sends: in local mode {@code weft up} issues each sidecar a
 * token for its workload's identity (Kubernetes service-account tokens take this place on Kubernetes).
 */
@FunctionalInterface
public interface WorkloadTokens {

    Optional<SpiffeId> identify(String token);

    /** A fixed set of tokens, for local meshes and tests. */
    static WorkloadTokens of(Map<String, SpiffeId> tokens) {
        Map<String, SpiffeId> copy = Map.copyOf(tokens);
        return token -> Optional.ofNullable(copy.get(token));
    }
}
