package dev.weft.model.analysis;

import java.util.Map;

/** Equality-based label selection, as {@code matchLabels} and workload selectors do it. */
final class LabelSets {
  private LabelSets() {}

  /** Whether every label of {@code selector} is on {@code labels}; an empty selector selects all. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> required : selector.entrySet()) {
      if (!required.getValue().equals(labels.get(required.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
