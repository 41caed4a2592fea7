package dev.weft.controlplane.metrics;

/** One metric name with its help, type and every labelled series, as a scrape writes it. */
interface MetricFamily {

    String name();

    /** Writes the family's HELP and TYPE lines and its samples; a family with no series writes nothing. */
    void writeTo(PrometheusText out);
}
