package dev.weft.proxy.filter.router;

import dev.weft.proxy.router.RetryPolicy;
import dev.weft.proxy.upstream.UpstreamCluster;
import java.util.random.RandomGenerator;

/**
 * One request's retries (Envoy's {@code RetryState}): the route's policy with the request's overrides, how many
 * retries were used, the cluster's retry budget (its {@code max_retries} circuit breaker, taken with the first
 * retry and given back when the request ends) and the jittered exponential back-off between tries.
 */
final class RetryState {

    private final RetryPolicy policy;
    private final UpstreamCluster cluster;
    private final RandomGenerator random;
    private int retriesUsed;
    private boolean budgetHeld;

    RetryState(RetryPolicy policy, UpstreamCluster cluster, RandomGenerator random) {
        this.policy = policy;
        this.cluster = cluster;
        this.random = random;
    }

    RetryPolicy policy() {
        return policy;
    }

    int retriesUsed() {
        return retriesUsed;
    }

    /** Whether the policy retries on {@code condition} (a {@link RetryPolicy} bit) and retries are left. */
    boolean retriesOn(int condition) {
        return policy.has(condition) && retriesLeft();
    }

    boolean retriesLeft() {
        return retriesUsed < policy.numRetries();
    }

    /**
     * Takes one retry: its share of the cluster's retry budget and its back-off.
     *
     * @return the delay before the next try in nanoseconds, or -1 when the budget is spent (counted as overflow)
     */
    long takeRetry() {
        if (!budgetHeld) {
            if (!cluster.circuitBreakers().tryAcquireRetry()) {
                cluster.overflowed();
                return -1;
            }
            budgetHeld = true;
        }
        retriesUsed++;
        cluster.retried();
        long base = policy.backoffBase().toNanos();
        long ceiling = Math.min(policy.backoffMax().toNanos(), base << Math.min(retriesUsed - 1, 20));
        return random.nextLong(Math.max(1, ceiling));
    }

    /** The request ended: the retry budget it held goes back to the cluster. */
    void release() {
        if (budgetHeld) {
            budgetHeld = false;
            cluster.circuitBreakers().releaseRetry();
        }
    }
}
