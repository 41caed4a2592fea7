package dev.weft.model.security;

/** The external authorizer of a CUSTOM policy. */
public record ExtensionProvider(
    String name) {}
