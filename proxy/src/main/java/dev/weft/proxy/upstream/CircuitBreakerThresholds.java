package dev.weft.proxy.upstream;

/**
 * The default-priority circuit breaker limits of a cluster. Envoy's defaults are 1024 for each but retries (3).
 * {@code trackRemaining} publishes the {@code remaining_*} gauges, as Envoy's {@code track_remaining} does.
 */
public record CircuitBreakerThresholds(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
        boolean trackRemaining) {

    public static final CircuitBreakerThresholds DEFAULTS = new CircuitBreakerThresholds(1024, 1024, 1024, 3, false);
}
