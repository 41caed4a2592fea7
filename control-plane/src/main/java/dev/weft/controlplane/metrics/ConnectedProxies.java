package dev.weft.controlplane.metrics;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * istiod's {@code pilot_xds}: the proxies connected over ADS, by the Istio version their node metadata names
 * ({@code ISTIO_VERSION}; {@code unknown} when it names none). A version's series stays at 0 once its last proxy
 * left, as istiod's does.
 */
final class ConnectedProxies {

    private final Gauge connected;

    ConnectedProxies(MetricRegistry registry) {
        connected = Gauge.register(registry, "pilot_xds", "Number of endpoints connected to this pilot using XDS.",
                "version");
    }

    void connected(Node node) {
        connected.labels(version(node)).add(1);
    }

    void disconnected(Node node) {
        connected.labels(version(node)).add(-1);
    }

    private static String version(Node node) {
        Value version = node.getMetadata().getFieldsMap().get("ISTIO_VERSION");
        return version == null || version.getStringValue().isEmpty() ? "unknown" : version.getStringValue();
    }
}
