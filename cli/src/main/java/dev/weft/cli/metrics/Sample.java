package dev.weft.cli.metrics;

import java.util.Map;

/** One line of Prometheus's text format: a metric name, its labels and its value. */
public record Sample(String name, Map<String, String> labels, double value) {

  public Sample {
    labels = Map.copyOf(labels);
  }

  /** The value of a label; empty when the series lacks it, as PromQL treats a missing label. */
  public String label(String label) {
    return labels.getOrDefault(label, "");
  }
}
