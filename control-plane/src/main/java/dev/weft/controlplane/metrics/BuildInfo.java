package dev.weft.controlplane.metrics;

import dev.weft.api.WeftVersion;

/** istiod's {@code istio_build{component="pilot",tag=...}} gauge, 1, with weftd's version as the tag. */
final class BuildInfo {

    private BuildInfo() {
    }

    static void register(MetricRegistry registry) {
        Gauge.register(registry, "istio_build", "Istio component build info", "component", "tag")
                .labels("pilot", WeftVersion.get()).set(1);
    }
}
