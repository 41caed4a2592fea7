package dev.weft.proxy.istio;

import dev.weft.proxy.streaminfo.ResponseFlag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Istio's standard metrics in the Prometheus text format, with Istio's names and its full label set in the order
 * Istio's sidecars print them, so dashboards and alerts written for Istio read them unchanged.
 */
public final class IstioMetricsFormat {

    private IstioMetricsFormat() {
    }

    public static void render(IstioMetrics metrics, StringBuilder out) {
        Map<RequestLabels, RequestSeries> snapshot = metrics.snapshot();
        if (snapshot.isEmpty()) {
            return;
        }
        List<Map.Entry<String, RequestSeries>> requests = new ArrayList<>();
        List<Map.Entry<String, RequestSeries>> tcp = new ArrayList<>();
        snapshot.forEach((labels, counts) -> (labels.protocol == RequestLabels.Protocol.TCP ? tcp : requests)
                .add(Map.entry(labels(metrics.local(), labels), counts)));
        requests.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        tcp.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        if (!requests.isEmpty()) {
            counter(out, "istio_requests_total", requests, s -> s.requests);
            histogram(out, "istio_request_duration_milliseconds", requests, s -> s.durationBuckets,
                    s -> s.durationSum);
            histogram(out, "istio_request_bytes", requests, s -> s.requestBytesBuckets, s -> s.requestBytesSum);
            histogram(out, "istio_response_bytes", requests, s -> s.responseBytesBuckets, s -> s.responseBytesSum);
        }
        if (!tcp.isEmpty()) {
            counter(out, "istio_tcp_connections_opened_total", tcp, s -> s.tcpOpened);
            counter(out, "istio_tcp_connections_closed_total", tcp, s -> s.tcpClosed);
            counter(out, "istio_tcp_sent_bytes_total", tcp, s -> s.tcpSentBytes);
            counter(out, "istio_tcp_received_bytes_total", tcp, s -> s.tcpReceivedBytes);
        }
    }

    private static void counter(StringBuilder out, String name, List<Map.Entry<String, RequestSeries>> series,
            java.util.function.ToLongFunction<RequestSeries> value) {
        out.append("# TYPE ").append(name).append(" counter\n");
        for (Map.Entry<String, RequestSeries> e : series) {
            out.append(name).append('{').append(e.getKey()).append("} ").append(value.applyAsLong(e.getValue()))
                    .append('\n');
        }
    }

    private static void histogram(StringBuilder out, String name, List<Map.Entry<String, RequestSeries>> series,
            java.util.function.Function<RequestSeries, long[]> buckets,
            java.util.function.ToDoubleFunction<RequestSeries> sum) {
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
    static String labels(WorkloadMetadata local, RequestLabels l) {
        WorkloadMetadata source = l.sourceReporter ? local : l.peer;
        WorkloadMetadata destination = l.sourceReporter ? l.peer : local;
        StringBuilder b = new StringBuilder(640);
        label(b, "reporter", l.sourceReporter ? "source" : "destination");
        label(b, "source_workload", source.workload());
        label(b, "source_canonical_service", source.canonicalService());
        label(b, "source_canonical_revision", source.canonicalRevision());
        label(b, "source_workload_namespace", source.namespace());
        label(b, "source_principal", l.sourcePrincipal);
        label(b, "source_app", source.app());
        label(b, "source_version", source.version());
        label(b, "source_cluster", source.cluster());
        label(b, "destination_workload", destination.workload());
        label(b, "destination_workload_namespace", destination.namespace());
        label(b, "destination_principal", l.destinationPrincipal);
        label(b, "destination_app", destination.app());
        label(b, "destination_version", destination.version());
        label(b, "destination_service", l.service.host());
        label(b, "destination_canonical_service", destination.canonicalService());
        label(b, "destination_canonical_revision", destination.canonicalRevision());
        label(b, "destination_service_name", l.service.name());
        label(b, "destination_service_namespace", l.service.namespace());
        label(b, "destination_cluster", destination.cluster());
        label(b, "request_protocol", l.protocol.name().toLowerCase(java.util.Locale.ROOT));
        if (l.protocol != RequestLabels.Protocol.TCP) {
            label(b, "response_code", Integer.toString(l.responseCode));
            label(b, "grpc_response_status", l.grpcStatus);
        }
        label(b, "response_flags", ResponseFlag.format(l.responseFlags));
        label(b, "connection_security_policy", switch (l.security) {
            case MUTUAL_TLS -> "mutual_tls";
            case NONE -> "none";
            case UNKNOWN -> "unknown";
        });
        return b.substring(0, b.length() - 1);
    }

    private static void label(StringBuilder b, String name, String value) {
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
