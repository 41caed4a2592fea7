package dev.weft.model.networking;

import java.util.Map;

/** Traffic share from one locality to others (weights by locality). */
public record LocalityDistribute(
    String from,
    Map<String, Integer> to) {}
