package dev.weft.model.security;

import java.util.List;

/** A condition on a request attribute key. */
public record Condition(
    String key,
    List<String> values,
    List<String> notValues) {}
