package dev.weft.proxy.istio;

import dev.weft.proxy.streaminfo.ResponseFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Istio's standard metrics in the Prometheus text format, with Istio's names and its full label set in the order
 * Istio's sidecars print them, so dashboards and alerts written for Istio read them unchanged.
 */
public final class IstioMetricsFormat {

    private static final Predicate<RequestLabels> REQUESTS = l -> l.protocol != RequestLabels.Protocol.TCP;
    /** gRPC's message counts exist for gRPC requests only, as in Istio. */
    private static final Predicate<RequestLabels> GRPC = l -> l.protocol == RequestLabels.Protocol.GRPC;
    private static final Predicate<RequestLabels> TCP = l -> l.protocol == RequestLabels.Protocol.TCP;

    private IstioMetricsFormat() {
    }

    public static void render(IstioMetrics metrics, StringBuilder out) {
        Map<RequestLabels, RequestSeries> snapshot = metrics.snapshot();
        if (snapshot.isEmpty()) {
            return;
        }
        counter(out, "requests_total", family(metrics, snapshot, "requests_total", REQUESTS), s -> s.requests);
        histogram(out, "request_duration_milliseconds", family(metrics, snapshot, "request_duration_milliseconds",
                REQUESTS), s -> s.durationBuckets, s -> s.durationSum);
        histogram(out, "request_bytes", family(metrics, snapshot, "request_bytes", REQUESTS),
                s -> s.requestBytesBuckets, s -> s.requestBytesSum);
        histogram(out, "response_bytes", family(metrics, snapshot, "response_bytes", REQUESTS),
                s -> s.responseBytesBuckets, s -> s.responseBytesSum);
        counter(out, "request_messages_total", family(metrics, snapshot, "request_messages_total", GRPC),
                s -> s.requestMessages);
        counter(out, "response_messages_total", family(metrics, snapshot, "response_messages_total", GRPC),
                s -> s.responseMessages);
        counter(out, "tcp_connections_opened_total", family(metrics, snapshot, "tcp_connections_opened_total",
                TCP), s -> s.tcpOpened);
        counter(out, "tcp_connections_closed_total", family(metrics, snapshot, "tcp_connections_closed_total",
                TCP), s -> s.tcpClosed);
        counter(out, "tcp_sent_bytes_total", family(metrics, snapshot, "tcp_sent_bytes_total", TCP),
                s -> s.tcpSentBytes);
        counter(out, "tcp_received_bytes_total", family(metrics, snapshot, "tcp_received_bytes_total", TCP),
                s -> s.tcpReceivedBytes);
    }

    /**
     * One metric's series, by label text, with Telemetry's customizations applied: a dropped metric has none, and
     * series whose labels become equal once tags are removed are summed.
     */
    private static List<Map.Entry<String, RequestSeries>> family(IstioMetrics metrics,
            Map<RequestLabels, RequestSeries> snapshot, String metric, Predicate<RequestLabels> of) {
        Map<String, RequestSeries> merged = new java.util.TreeMap<>();
        snapshot.forEach((labels, counts) -> {
            if (!of.test(labels)) {
                return;
            }
            MetricCustomization custom = MetricCustomization.of(metrics.customizations(labels.sourceReporter),
                    metric);
            if (!custom.drop()) {
                merged.computeIfAbsent(labels(metrics.local(), labels, custom), k -> new RequestSeries()).add(counts);
            }
        });
        return new ArrayList<>(merged.entrySet());
    }

    private static void counter(StringBuilder out, String metric, List<Map.Entry<String, RequestSeries>> series,
            java.util.function.ToLongFunction<RequestSeries> value) {
        if (series.isEmpty()) {
            return;
        }
        String name = "istio_" + metric;
        out.append("# TYPE ").append(name).append(" counter\n");
        for (Map.Entry<String, RequestSeries> e : series) {
            out.append(name).append('{').append(e.getKey()).append("} ").append(value.applyAsLong(e.getValue()))
                    .append('\n');
        }
    }

    private static void histogram(StringBuilder out, String metric, List<Map.Entry<String, RequestSeries>> series,
            java.util.function.Function<RequestSeries, long[]> buckets,
            java.util.function.ToDoubleFunction<RequestSeries> sum) {
        if (series.isEmpty()) {
            return;
        }
        String name = "istio_" + metric;
        out.append("# TYPE ").append(name).append(" histogram\n");
        for (Map.Entry<String, RequestSeries> e : series) {
            long[] counts = buckets.apply(e.getValue());
            long cumulative = 0;
            for (int i = 0; i < RequestSeries.BOUNDS.length; i++) {
                cumulative += counts[i];
                out.append(name).append("_bucket{").append(e.getKey()).append(",le=\"")
                        .append(bound(RequestSeries.BOUNDS[i])).append("\"} ").append(cumulative).append('\n');
            }
            out.append(name).append("_bucket{").append(e.getKey()).append(",le=\"+Inf\"} ")
                    .append(e.getValue().requests).append('\n');
            out.append(name).append("_sum{").append(e.getKey()).append("} ")
                    .append(number(sum.applyAsDouble(e.getValue()))).append('\n');
            out.append(name).append("_count{").append(e.getKey()).append("} ").append(e.getValue().requests)
                    .append('\n');
        }
    }

    /**
     * One series' labels, Istio's order: reporter, source, destination, then the request's (a TCP series has no
     * response code and no gRPC status).
     */
    static String labels(WorkloadMetadata local, RequestLabels l, MetricCustomization custom) {
        WorkloadMetadata source = l.sourceReporter ? local : l.peer;
        WorkloadMetadata destination = l.sourceReporter ? l.peer : local;
        StringBuilder b = new StringBuilder(640);
        Labels label = (into, name, value) -> {
            if (!custom.removedTags().contains(name) && !custom.addedTags().contains(name)) {
                put(into, name, value);
            }
        };
        label.add(b, "reporter", l.sourceReporter ? "source" : "destination");
        label.add(b, "source_workload", source.workload());
        label.add(b, "source_canonical_service", source.canonicalService());
        label.add(b, "source_canonical_revision", source.canonicalRevision());
        label.add(b, "source_workload_namespace", source.namespace());
        label.add(b, "source_principal", l.sourcePrincipal);
        label.add(b, "source_app", source.app());
        label.add(b, "source_version", source.version());
        label.add(b, "source_cluster", source.cluster());
        label.add(b, "destination_workload", destination.workload());
        label.add(b, "destination_workload_namespace", destination.namespace());
        label.add(b, "destination_principal", l.destinationPrincipal);
        label.add(b, "destination_app", destination.app());
        label.add(b, "destination_version", destination.version());
        label.add(b, "destination_service", l.service.host());
        label.add(b, "destination_canonical_service", destination.canonicalService());
        label.add(b, "destination_canonical_revision", destination.canonicalRevision());
        label.add(b, "destination_service_name", l.service.name());
        label.add(b, "destination_service_namespace", l.service.namespace());
        label.add(b, "destination_cluster", destination.cluster());
        label.add(b, "request_protocol", l.protocol.name().toLowerCase(java.util.Locale.ROOT));
        if (l.protocol != RequestLabels.Protocol.TCP) {
            label.add(b, "response_code", Integer.toString(l.responseCode));
            label.add(b, "grpc_response_status", l.grpcStatus);
        }
        label.add(b, "response_flags", ResponseFlag.format(l.responseFlags));
        label.add(b, "connection_security_policy", switch (l.security) {
            case MUTUAL_TLS -> "mutual_tls";
            case NONE -> "none";
            case UNKNOWN -> "unknown";
        });
        // Tags Telemetry adds (or sets anew, in place of a standard one), with this request's values.
        for (int i = 0; i < l.extraTags.length; i++) {
            if (custom.addedTags().contains(l.extraTags[i])) {
                put(b, l.extraTags[i], l.extraValues[i]);
            }
        }
        return b.isEmpty() ? "" : b.substring(0, b.length() - 1);
    }

    @FunctionalInterface
    private interface Labels {
        void add(StringBuilder into, String name, String value);
    }

    private static void put(StringBuilder b, String name, String value) {
        b.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        b.append("\",");
    }

    private static String bound(double b) {
        return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
