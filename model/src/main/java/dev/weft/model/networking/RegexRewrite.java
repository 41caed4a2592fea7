package dev.weft.model.networking;

/** RE2 rewrite of the path; rewrite may use capture groups such as \\1. */
public record RegexRewrite(
    String match,
    String rewrite) {}
