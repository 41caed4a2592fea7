package dev.weft.model.security;

/** A header carrying a token, with its required prefix. */
public record JWTHeader(
    String name,
    String prefix) {}
