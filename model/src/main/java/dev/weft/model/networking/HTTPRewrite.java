package dev.weft.model.networking;

/** Path and authority rewrite applied before forwarding. */
public record HTTPRewrite(
    String uri,
    String authority,
    RegexRewrite uriRegexRewrite) {}
