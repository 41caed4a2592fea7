package dev.weft.model.networking;

/** An attribute of a generated hash cookie. */
public record CookieAttribute(
    String name,
    String value) {}
