package dev.weft.model.security;

/** A source clause of a rule. */
public record RuleFrom(
    Source source) {}
