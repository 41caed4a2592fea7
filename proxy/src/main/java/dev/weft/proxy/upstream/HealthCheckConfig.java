package dev.weft.proxy.upstream;

import java.time.Duration;

/** An active health check: HTTP GET of {@code path} (expects 2xx) or, when path is null, a TCP connect. */
public record HealthCheckConfig(Duration interval, Duration timeout, int unhealthyThreshold, int healthyThreshold,
        String path, String host) {
}
