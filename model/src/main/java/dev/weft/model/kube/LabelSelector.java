package dev.weft.model.kube;

import java.util.List;
import java.util.Map;

/** Kubernetes label selector. */
public record LabelSelector(
    Map<String, String> matchLabels,
    List<LabelSelectorRequirement> matchExpressions) {}
