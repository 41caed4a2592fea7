package dev.weft.controlplane.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * istiod's {@code pilot_proxy_convergence_time}: per proxy and push, the seconds from the push's first change to the
 * proxy having been sent everything the push had for it.
 */
final class ProxyConvergence {

    private static final double[] BOUNDS = {.1, .5, 1, 3, 5, 10, 20, 30};

    private final Histogram.Series convergence;
    private final Clock clock;

    ProxyConvergence(MetricRegistry registry, Clock clock) {
        this.convergence = Histogram.register(registry, "pilot_proxy_convergence_time",
                "Delay in seconds between config change and a proxy receiving all required configuration.", BOUNDS)
                .labels();
        this.clock = clock;
    }

    void converged(Instant changedAt) {
        convergence.observe(Duration.between(changedAt, clock.instant()).toNanos() / 1e9);
    }
}
