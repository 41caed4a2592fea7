package dev.weft.proxy.stats;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders stats in the Prometheus text format the way Envoy names them: {@code cluster.<name>.<stat>} becomes
 * {@code envoy_cluster_<stat>{envoy_cluster_name="<name>"}}, {@code http.<prefix>.<stat>} gets the label
 * {@code envoy_http_conn_manager_prefix}, {@code tcp.<prefix>.<stat>} the label {@code envoy_tcp_prefix}. weft's
 * per-policy RBAC counters ({@code ...rbac.<prefix>policy.<name>.<result>}) carry the policy as the label
 * {@code envoy_rbac_policy}, so one metric holds every policy.
 */
public final class PrometheusFormat {

    private static final Set<String> RBAC_RESULTS = Set.of("allowed", "denied", "shadow_allowed", "shadow_denied");

    private PrometheusFormat() {
    }

    public static String render(Stats stats, Set<String> clusterNames) {
        var longestFirst = clusterNames.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        StringBuilder out = new StringBuilder();
        append(out, stats.counterSnapshot(), "counter", longestFirst);
        append(out, stats.gaugeSnapshot(), "gauge", longestFirst);
        appendHistograms(out, stats.histogramSnapshot(), longestFirst);
        return out.toString();
    }

    /** A stat name as a Prometheus metric name and its labels ("" for none). */
    private record Series(String metric, String labels) {
    }

    private static Series series(String name, List<String> clustersLongestFirst) {
        int rbac = name.startsWith("cluster.") ? -1 : name.indexOf("rbac.");
        int policy = rbac < 0 ? -1 : name.indexOf("policy.", rbac);
        int result = name.lastIndexOf('.');
        if (policy >= 0 && result > policy + "policy.".length() && RBAC_RESULTS.contains(name.substring(result + 1))) {
            Series counter = series(name.substring(0, policy + "policy".length()) + name.substring(result),
                    clustersLongestFirst);
            String label = "envoy_rbac_policy=\"" + escape(name.substring(policy + "policy.".length(), result)) + "\"";
            return new Series(counter.metric(), counter.labels().isEmpty() ? label : counter.labels() + "," + label);
        }
        String cluster = name.startsWith("cluster.") ? clustersLongestFirst.stream()
                .filter(c -> name.startsWith("cluster." + c + ".")).findFirst().orElse(null) : null;
        if (cluster != null) {
            return new Series(metric("cluster_" + name.substring(("cluster." + cluster + ".").length())),
                    "envoy_cluster_name=\"" + escape(cluster) + "\"");
        }
        if ((name.startsWith("http.") || name.startsWith("tcp.")) && name.indexOf('.', 5) > 0) {
            boolean http = name.startsWith("http.");
            int start = http ? 5 : 4;
            int end = name.indexOf('.', start);
            return new Series(metric((http ? "http_" : "tcp_") + name.substring(end + 1)),
                    (http ? "envoy_http_conn_manager_prefix" : "envoy_tcp_prefix") + "=\""
                            + escape(name.substring(start, end)) + "\"");
        }
        return new Series(metric(name), "");
    }

    private static String metric(String name) {
        return "envoy_" + sanitize(name);
    }

    private static void append(StringBuilder out, Map<String, Long> values, String type, List<String> clusters) {
        Map<String, Map<String, Long>> byMetric = new TreeMap<>();
        for (var e : values.entrySet()) {
            Series s = series(e.getKey(), clusters);
            byMetric.computeIfAbsent(s.metric(), k -> new TreeMap<>()).put(s.labels(), e.getValue());
        }
        byMetric.forEach((metric, series) -> {
            out.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
            series.forEach((labels, v) -> {
                out.append(metric);
                if (!labels.isEmpty()) {
                    out.append('{').append(labels).append('}');
                }
                out.append(' ').append(v).append('\n');
            });
        });
    }

    /** Prometheus histograms with Envoy's bucket bounds: cumulative _bucket series, then _sum and _count. */
    private static void appendHistograms(StringBuilder out, Map<String, Histogram.Snapshot> values, List<String> clusters) {
        Map<String, Map<String, Histogram.Snapshot>> byMetric = new TreeMap<>();
        for (var e : values.entrySet()) {
            Series s = series(e.getKey(), clusters);
            byMetric.computeIfAbsent(s.metric(), k -> new TreeMap<>()).put(s.labels(), e.getValue());
        }
        byMetric.forEach((metric, series) -> {
            out.append("# TYPE ").append(metric).append(" histogram\n");
            series.forEach((labels, h) -> {
                String prefix = labels.isEmpty() ? "" : labels + ",";
                long[] buckets = h.cumulativeBuckets();
                for (int i = 0; i < buckets.length; i++) {
                    out.append(metric).append("_bucket{").append(prefix).append("le=\"")
                            .append(bound(Histogram.PROMETHEUS_BOUNDS[i])).append("\"} ").append(buckets[i]).append('\n');
                }
                out.append(metric).append("_bucket{").append(prefix).append("le=\"+Inf\"} ").append(h.count()).append('\n');
                String braces = labels.isEmpty() ? "" : "{" + labels + "}";
                out.append(metric).append("_sum").append(braces).append(' ').append(h.sum()).append('\n');
                out.append(metric).append("_count").append(braces).append(' ').append(h.count()).append('\n');
            });
        });
    }

    private static String bound(double b) {
        return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
