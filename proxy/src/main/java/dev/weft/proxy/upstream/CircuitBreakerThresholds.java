package dev.weft.proxy.upstream;

/** The default-priority circuit breaker limits of a cluster. Envoy's defaults are 1024 for each but retries (3). */
public record CircuitBreakerThresholds(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {

    public static final CircuitBreakerThresholds DEFAULTS = new CircuitBreakerThresholds(1024, 1024, 1024, 3);
}
