package dev.weft.proxy.istio;

import java.util.Map;
import java.util.Set;

/**
 * How Telemetry changes one of Istio's metrics for one direction (Istio's {@code stats.PluginConfig.metrics} entry):
 * dropped altogether, or with tags removed and tags added (their values computed per request by the filter and
 * carried in {@link RequestLabels#extraTags}). Applied when the metrics are rendered, so counting costs nothing more.
 */
public record MetricCustomization(boolean drop, Set<String> removedTags, Set<String> addedTags) {

    public static final MetricCustomization NONE = new MetricCustomization(false, Set.of(), Set.of());

    public MetricCustomization {
        removedTags = Set.copyOf(removedTags);
        addedTags = Set.copyOf(addedTags);
    }

    /** Istio's metric names in the plugin config, without the {@code istio_} prefix. */
    public static final Set<String> METRICS = Set.of("requests_total", "request_duration_milliseconds",
            "request_bytes", "response_bytes", "tcp_connections_opened_total", "tcp_connections_closed_total",
            "tcp_sent_bytes_total", "tcp_received_bytes_total", "request_messages_total", "response_messages_total");

    /** The customization of {@code metric} in {@code byMetric}, none when it has none. */
    public static MetricCustomization of(Map<String, MetricCustomization> byMetric, String metric) {
        return byMetric.getOrDefault(metric, NONE);
    }
}
