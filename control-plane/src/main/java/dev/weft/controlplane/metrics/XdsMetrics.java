package dev.weft.controlplane.metrics;

import dev.weft.controlplane.ads.AdsObserver;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.controlplane.push.PushRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Clock;
import java.time.Instant;

/** What the ADS server reports, counted as istiod's {@code pilot_*} metrics. */
final class XdsMetrics implements AdsObserver {

    private final XdsResponses responses;
    private final XdsRejects rejects;
    private final ProxyConvergence convergence;
    private final PushTriggers triggers;
    private final ConnectedProxies proxies;

    XdsMetrics(MetricRegistry registry, Clock clock) {
        proxies = new ConnectedProxies(registry);
        responses = new XdsResponses(registry);
        rejects = new XdsRejects(registry);
        convergence = new ProxyConvergence(registry, clock);
        triggers = new PushTriggers(registry);
    }

    @Override
    public void pushed(PushRequest request, int connected) {
        triggers.pushed(request, connected);
    }

    @Override
    public void connected(Node node) {
        proxies.connected(node);
    }

    @Override
    public void disconnected(Node node) {
        proxies.disconnected(node);
    }

    @Override
    public void responseSent(XdsType type, long bytes, long nanos, boolean failed) {
        responses.sent(type, bytes, nanos, failed);
    }

    @Override
    public void rejected(XdsType type, String nodeId, int code) {
        rejects.rejected(type, nodeId, code);
    }

    @Override
    public void generationFailed(XdsType type) {
        responses.generationFailed();
    }

    @Override
    public void converged(Instant changedAt) {
        convergence.converged(changedAt);
    }
}
