package dev.weft.xds.route;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.weft.model.networking.HTTPRetry;
import dev.weft.xds.cluster.Durations;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * VirtualService retries to Envoy retry policies, with Istio's default when a route sets none (SEMANTICS §10).
 * The default lists {@code retriable-status-codes} with no codes, as Istio does since 1.24
 * ({@code EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY} defaults to true): an app's 503 is not retried unless a route asks.
 */
final class RetryPolicies {

    static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    private RetryPolicies() {
    }

    /** Empty when retries are disabled ({@code attempts: 0}). */
    static Optional<RetryPolicy> of(HTTPRetry retries, boolean consistentHash) {
        if (retries == null) {
            return Optional.of(base(2, DEFAULT_RETRY_ON, List.of(), !consistentHash).build());
        }
        if (retries.attempts() <= 0) {
            return Optional.empty();
        }
        List<String> conditions = new ArrayList<>();
        List<Integer> statusCodes = new ArrayList<>();
        String retryOn = retries.retryOn() == null || retries.retryOn().isEmpty() ? DEFAULT_RETRY_ON : retries.retryOn();
        for (String part : retryOn.split(",")) {
            String condition = part.trim();
            if (condition.isEmpty()) {
                continue;
            }
            if (condition.chars().allMatch(Character::isDigit)) {
                statusCodes.add(Integer.parseInt(condition));
            } else if (!conditions.contains(condition)) {
                conditions.add(condition);
            }
        }
        if (!statusCodes.isEmpty() && !conditions.contains("retriable-status-codes")) {
            conditions.add("retriable-status-codes");
        }
        // An explicit retryIgnorePreviousHosts wins; unset, the default's predicate stays (none under consistent hashing).
        boolean previousHosts = retries.retryIgnorePreviousHosts() == null ? !consistentHash
                : retries.retryIgnorePreviousHosts();
        RetryPolicy.Builder policy = base(retries.attempts(), String.join(",", conditions), statusCodes, previousHosts);
        if (retries.perTryTimeout() != null) {
            policy.setPerTryTimeout(Durations.of(retries.perTryTimeout()));
        }
        if (Boolean.TRUE.equals(retries.retryRemoteLocalities())) {
            policy.getRetryPriorityBuilder().setName("envoy.retry_priorities.previous_priorities")
                    .setTypedConfig(Any.pack(PreviousPrioritiesConfig.newBuilder().setUpdateFrequency(2).build()));
        }
        if (retries.backoff() != null) {
            policy.getRetryBackOffBuilder().setBaseInterval(Durations.of(retries.backoff()));
        }
        return Optional.of(policy.build());
    }

    private static RetryPolicy.Builder base(int attempts, String retryOn, List<Integer> statusCodes,
            boolean previousHosts) {
        RetryPolicy.Builder policy = RetryPolicy.newBuilder()
                .setRetryOn(retryOn)
                .setNumRetries(UInt32Value.of(attempts))
                .addAllRetriableStatusCodes(statusCodes)
                .setHostSelectionRetryMaxAttempts(5);
        if (previousHosts) {
            policy.addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName("envoy.retry_host_predicates.previous_hosts")
                    .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())));
        }
        return policy;
    }
}
