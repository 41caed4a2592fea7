package dev.weft.proxy.stats;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders stats in the Prometheus text format the way Envoy names them: {@code cluster.<name>.<stat>} becomes
 * {@code envoy_cluster_<stat>{envoy_cluster_name="<name>"}}, {@code http.<prefix>.<stat>} gets the label
 * {@code envoy_http_conn_manager_prefix}, {@code tcp.<prefix>.<stat>} the label {@code envoy_tcp_prefix}.
 */
public final class PrometheusFormat {

    private PrometheusFormat() {
    }

    public static String render(Stats stats, Set<String> clusterNames) {
        StringBuilder out = new StringBuilder();
        append(out, stats.counterSnapshot(), "counter", clusterNames);
        append(out, stats.gaugeSnapshot(), "gauge", clusterNames);
        return out.toString();
    }

    private static void append(StringBuilder out, Map<String, Long> values, String type, Set<String> clusterNames) {
        Map<String, Map<String, Long>> byMetric = new TreeMap<>();
        var longestFirst = clusterNames.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (var e : values.entrySet()) {
            String name = e.getKey();
            String metric;
            String labels = "";
            String cluster = name.startsWith("cluster.") ? longestFirst.stream()
                    .filter(c -> name.startsWith("cluster." + c + ".")).findFirst().orElse(null) : null;
            if (cluster != null) {
                metric = "cluster_" + name.substring(("cluster." + cluster + ".").length());
                labels = "envoy_cluster_name=\"" + escape(cluster) + "\"";
            } else if ((name.startsWith("http.") || name.startsWith("tcp.")) && name.indexOf('.', 5) > 0) {
                boolean http = name.startsWith("http.");
                int start = http ? 5 : 4;
                int end = name.indexOf('.', start);
                metric = (http ? "http_" : "tcp_") + name.substring(end + 1);
                labels = (http ? "envoy_http_conn_manager_prefix" : "envoy_tcp_prefix") + "=\""
                        + escape(name.substring(start, end)) + "\"";
            } else {
                metric = name;
            }
            byMetric.computeIfAbsent("envoy_" + sanitize(metric), k -> new TreeMap<>()).put(labels, e.getValue());
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

    private static String sanitize(String s) {
        return s.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
