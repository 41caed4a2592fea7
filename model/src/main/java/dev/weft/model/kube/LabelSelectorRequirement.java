package dev.weft.model.kube;

import java.util.List;

/** One set-based label requirement. */
public record LabelSelectorRequirement(
    String key,
    String operator,
    List<String> values) {}
