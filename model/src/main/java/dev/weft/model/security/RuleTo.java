package dev.weft.model.security;

/** An operation clause of a rule. */
public record RuleTo(
    Operation operation) {}
