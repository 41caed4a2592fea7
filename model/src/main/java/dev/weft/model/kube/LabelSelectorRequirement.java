package dev.weft.model.kube;

import java.util.List;
import java.util.Map;

/** One set-based label requirement: In, NotIn, Exists or DoesNotExist. */
public record LabelSelectorRequirement(
    String key,
    String operator,
    List<String> values) {

  /** An unknown operator matches nothing (validation reports it). */
  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    List<String> allowed = values == null ? List.of() : values;
    return switch (operator) {
      case "In" -> value != null && allowed.contains(value);
      case "NotIn" -> value == null || !allowed.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
