package dev.weft.controlplane.metrics;

import dev.weft.controlplane.push.PushRequest;

/**
 * istiod's {@code pilot_push_triggers}: what made pushes, by istiod's trigger names ({@code config},
 * {@code endpoint}, {@code secret}, {@code global}, {@code unknown}); as istiod, each reason counts once for every
 * proxy a push goes to.
 */
final class PushTriggers {

    private final Counter triggers;

    PushTriggers(MetricRegistry registry) {
        triggers = Counter.register(registry, "pilot_push_triggers",
                "Total number of times a push was triggered, labeled by reason for the push.", "type");
    }

    void pushed(PushRequest request, int proxies) {
        if (proxies > 0) {
            request.reasons().forEach(reason -> triggers.labels(reason).add(proxies));
        }
    }
}
