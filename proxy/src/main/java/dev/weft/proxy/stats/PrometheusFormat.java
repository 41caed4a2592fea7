package dev.weft.proxy.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders stats in the Prometheus text format the way Envoy names them: the {@link StatsConfig}'s tags cut labels
 * out of a stat's name ({@code cluster.<name>.upstream_rq_200} becomes
 * {@code envoy_cluster_upstream_rq{envoy_cluster_name="<name>",envoy_response_code="200"}} with Envoy's default
 * tags), and its matcher picks the stats shown. A stat's series is worked out once and reused while the proxy's
 * clusters stay the same.
 */
public final class PrometheusFormat {

    /** The names of the clusters the cached series were worked out with, and those series by stat name. */
    private record SeriesCache(Set<String> clusters, List<String> longestFirst, Map<String, Series> byStat) {
    }

    private final StatsConfig config;
    private volatile SeriesCache cache = new SeriesCache(Set.of(), List.of(), new ConcurrentHashMap<>());

    public PrometheusFormat(StatsConfig config) {
        this.config = config;
    }

    public String render(Stats stats, Set<String> clusterNames) {
        SeriesCache current = cache;
        if (!current.clusters().equals(clusterNames)) {
            current = new SeriesCache(Set.copyOf(clusterNames), clusterNames.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList(), new ConcurrentHashMap<>());
            cache = current;
        }
        StringBuilder out = new StringBuilder();
        append(out, stats.counterSnapshot(), "counter", current);
        append(out, stats.gaugeSnapshot(), "gauge", current);
        appendHistograms(out, stats.histogramSnapshot(), current);
        return out.toString();
    }

    /** A stat name as a Prometheus metric name and its labels ("" for none). */
    private record Series(String metric, String labels) {
    }

    private Series series(String stat, SeriesCache cache) {
        return cache.byStat().computeIfAbsent(stat, s -> tagged(s, cache.longestFirst()));
    }

    private Series tagged(String stat, List<String> clustersLongestFirst) {
        List<TagExtractor.Found> cuts = new ArrayList<>();
        Set<String> labelNames = new HashSet<>();
        StringBuilder labels = new StringBuilder();
        for (TagExtractor tag : config.tags()) {
            if (labelNames.contains(tag.labelName())) {
                continue;
            }
            TagExtractor.Found found = tag.find(stat, clustersLongestFirst);
            if (found == null || cuts.stream().anyMatch(c -> c.start() < found.end() && found.start() < c.end())) {
                continue;
            }
            cuts.add(found);
            labelNames.add(tag.labelName());
            labels.append(labels.isEmpty() ? "" : ",").append(tag.labelName()).append("=\"")
                    .append(escape(found.value())).append('"');
        }
        cuts.sort(Comparator.comparingInt(TagExtractor.Found::start));
        StringBuilder name = new StringBuilder(stat.length());
        int from = 0;
        for (TagExtractor.Found cut : cuts) {
            name.append(stat, from, Math.max(from, cut.start()));
            from = Math.max(from, cut.end());
        }
        name.append(stat, from, stat.length());
        return new Series(metric(name.toString()), labels.toString());
    }

    private static String metric(String name) {
        return "envoy_" + sanitize(name);
    }

    private void append(StringBuilder out, Map<String, Long> values, String type, SeriesCache cache) {
        Map<String, Map<String, Long>> byMetric = new TreeMap<>();
        for (var e : values.entrySet()) {
            if (!config.shown().test(e.getKey())) {
                continue;
            }
            Series s = series(e.getKey(), cache);
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
    private void appendHistograms(StringBuilder out, Map<String, Histogram.Snapshot> values, SeriesCache cache) {
        Map<String, Map<String, Histogram.Snapshot>> byMetric = new TreeMap<>();
        for (var e : values.entrySet()) {
            if (!config.shown().test(e.getKey())) {
                continue;
            }
            Series s = series(e.getKey(), cache);
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
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
