package dev.weft.controlplane.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The metric families one process exposes, scraped in the order they were registered. A name is registered once:
 * two families of one name would make a scrape Prometheus refuses.
 */
final class MetricRegistry {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final List<MetricFamily> families = new CopyOnWriteArrayList<>();
    private final Map<String, MetricFamily> byName = new ConcurrentHashMap<>();

    <F extends MetricFamily> F register(F family) {
        if (byName.putIfAbsent(family.name(), family) != null) {
            throw new IllegalArgumentException("metric " + family.name() + " is registered already");
        }
        families.add(family);
        return family;
    }

    /** Checks a family's names before it is made, so a typo fails at start rather than in Prometheus. */
    static void checkNames(String name, List<String> labelNames) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        for (String label : labelNames) {
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__") || label.equals("le")) {
                throw new IllegalArgumentException("not a label name " + name + " may have: " + label);
            }
        }
    }

    /** Every family in the Prometheus text format. */
    String scrape() {
        PrometheusText out = new PrometheusText();
        families.forEach(family -> family.writeTo(out));
        return out.text();
    }

    /** The Content-Type of {@link #scrape()}. */
    static String contentType() {
        return PrometheusText.CONTENT_TYPE;
    }
}
