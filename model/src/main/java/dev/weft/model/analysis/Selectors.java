package dev.weft.model.analysis;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Label selectors written as Kubernetes prints them: {@code app=reviews,version=v1}, sorted. */
final class Selectors {
  private Selectors() {}

  static String text(Map<String, String> selector) {
    return new TreeMap<>(selector).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
