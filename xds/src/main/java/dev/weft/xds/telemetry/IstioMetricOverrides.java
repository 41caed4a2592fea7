package dev.weft.xds.telemetry;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.telemetry.IstioMetric;
import dev.weft.model.telemetry.MetricSelector;
import dev.weft.model.telemetry.Metrics;
import dev.weft.model.telemetry.MetricsOverrides;
import dev.weft.model.telemetry.TagOperation;
import dev.weft.model.telemetry.Telemetry;
import dev.weft.model.telemetry.WorkloadMode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Telemetry resources' {@code metrics.overrides} for one direction of a workload, merged as Istio does: the
 * mesh's, then the namespace's, then the workload's, each override in order, so the narrower and later one wins per
 * metric and per tag. {@code ALL_METRICS} stands for every metric; {@code CLIENT_AND_SERVER} (the default) for both
 * directions. The result is Istio's {@code stats.PluginConfig.metrics}: per metric, whether it is dropped, the tags it
 * loses and the tags it gains with their CEL expressions.
 */
final class IstioMetricOverrides {

    /** Istio's metric names in the stats plugin's config. */
    private static final Map<IstioMetric, String> NAMES = new EnumMap<>(Map.ofEntries(
            Map.entry(IstioMetric.REQUEST_COUNT, "requests_total"),
            Map.entry(IstioMetric.REQUEST_DURATION, "request_duration_milliseconds"),
            Map.entry(IstioMetric.REQUEST_SIZE, "request_bytes"),
            Map.entry(IstioMetric.RESPONSE_SIZE, "response_bytes"),
            Map.entry(IstioMetric.TCP_OPENED_CONNECTIONS, "tcp_connections_opened_total"),
            Map.entry(IstioMetric.TCP_CLOSED_CONNECTIONS, "tcp_connections_closed_total"),
            Map.entry(IstioMetric.TCP_SENT_BYTES, "tcp_sent_bytes_total"),
            Map.entry(IstioMetric.TCP_RECEIVED_BYTES, "tcp_received_bytes_total"),
            Map.entry(IstioMetric.GRPC_REQUEST_MESSAGES, "request_messages_total"),
            Map.entry(IstioMetric.GRPC_RESPONSE_MESSAGES, "response_messages_total")));

    /** One metric's merged overrides. */
    private static final class Override {
        boolean drop;
        final TreeSet<String> remove = new TreeSet<>();
        final Map<String, String> upsert = new TreeMap<>();
    }

    private IstioMetricOverrides() {
    }

    /**
     * Telemetry's {@code metrics.reportingInterval}, the narrowest level's, as the plugin's {@code tcp_reporting_duration}
     * (a protobuf JSON duration); empty for Istio's default of 5 s.
     */
    static Optional<String> tcpReportingDuration(TelemetryLevels levels) {
        Duration interval = null;
        for (Telemetry telemetry : levels.widestFirst()) {
            for (Metrics metrics : telemetry.metrics() == null ? List.<Metrics>of() : telemetry.metrics()) {
                if (metrics.reportingInterval() != null) {
                    interval = metrics.reportingInterval();
                }
            }
        }
        return Optional.ofNullable(interval).map(d ->
                BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s");
    }

    /** The {@code metrics} list of the plugin config for {@code mode} (CLIENT or SERVER); empty without overrides. */
    static ListValue of(TelemetryLevels levels, WorkloadMode mode) {
        Map<IstioMetric, Override> merged = new EnumMap<>(IstioMetric.class);
        for (Telemetry telemetry : levels.widestFirst()) {
            for (Metrics metrics : telemetry.metrics() == null ? List.<Metrics>of() : telemetry.metrics()) {
                for (MetricsOverrides o : metrics.overrides() == null ? List.<MetricsOverrides>of()
                        : metrics.overrides()) {
                    MetricSelector match = o.match();
                    WorkloadMode selected = match == null || match.mode() == null ? WorkloadMode.CLIENT_AND_SERVER
                            : match.mode();
                    if (selected != WorkloadMode.CLIENT_AND_SERVER && selected != mode) {
                        continue;
                    }
                    IstioMetric metric = match == null || match.metric() == null ? IstioMetric.ALL_METRICS
                            : match.metric();
                    for (IstioMetric target : metric == IstioMetric.ALL_METRICS ? NAMES.keySet() : List.of(metric)) {
                        apply(merged.computeIfAbsent(target, t -> new Override()), o);
                    }
                }
            }
        }
        ListValue.Builder list = ListValue.newBuilder();
        merged.forEach((metric, o) -> {
            Struct.Builder config = Struct.newBuilder().putFields("name", string(NAMES.get(metric)));
            if (o.drop) {
                config.putFields("drop", Value.newBuilder().setBoolValue(true).build());
            }
            if (!o.remove.isEmpty()) {
                ListValue.Builder tags = ListValue.newBuilder();
                o.remove.forEach(t -> tags.addValues(string(t)));
                config.putFields("tags_to_remove", Value.newBuilder().setListValue(tags).build());
            }
            if (!o.upsert.isEmpty()) {
                Struct.Builder dimensions = Struct.newBuilder();
                o.upsert.forEach((tag, expression) -> dimensions.putFields(tag, string(expression)));
                config.putFields("dimensions", Value.newBuilder().setStructValue(dimensions).build());
            }
            list.addValues(Value.newBuilder().setStructValue(config));
        });
        return list.build();
    }

    private static void apply(Override into, MetricsOverrides o) {
        if (o.disabled() != null) {
            into.drop = o.disabled();
        }
        if (o.tagOverrides() == null) {
            return;
        }
        o.tagOverrides().forEach((tag, change) -> {
            if (change.operation() == TagOperation.REMOVE) {
                into.remove.add(tag);
                into.upsert.remove(tag);
            } else {
                into.upsert.put(tag, change.value() == null ? "" : change.value());
                into.remove.remove(tag);
            }
        });
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
