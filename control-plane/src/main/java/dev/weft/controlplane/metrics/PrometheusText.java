package dev.weft.controlplane.metrics;

import java.util.List;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): a family's {@code # HELP} and {@code # TYPE} lines,
 * then its samples, label values and help text escaped as the format asks.
 */
final class PrometheusText {

    /** The Content-Type a scrape answers with. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    void family(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ')
                .append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    void sample(String name, List<String> labelNames, List<String> labelValues, double value) {
        sample(name, labelNames, labelValues, null, null, value);
    }

    /** A sample with one more label after the family's (a histogram bucket's {@code le}). */
    void sample(String name, List<String> labelNames, List<String> labelValues, String extraName, String extraValue,
            double value) {
        out.append(name);
        if (!labelNames.isEmpty() || extraName != null) {
            out.append('{');
            for (int i = 0; i < labelNames.size(); i++) {
                label(i > 0, labelNames.get(i), labelValues.get(i));
            }
            if (extraName != null) {
                label(!labelNames.isEmpty(), extraName, extraValue);
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private void label(boolean comma, String name, String value) {
        if (comma) {
            out.append(',');
        }
        out.append(name).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }

    /** Whole numbers without a fraction (counts read better), the rest as Java prints doubles, which Prometheus reads. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    String text() {
        return out.toString();
    }
}
