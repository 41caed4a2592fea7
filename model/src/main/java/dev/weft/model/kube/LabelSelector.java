package dev.weft.model.kube;

import java.util.List;
import java.util.Map;

/** Kubernetes label selector: every {@code matchLabels} pair and every requirement must hold; empty selects all. */
public record LabelSelector(
    Map<String, String> matchLabels,
    List<LabelSelectorRequirement> matchExpressions) {

  public boolean matches(Map<String, String> labels) {
    if (matchLabels != null && !matchLabels.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    return matchExpressions == null || matchExpressions.stream().allMatch(r -> r.matches(labels));
  }
}
