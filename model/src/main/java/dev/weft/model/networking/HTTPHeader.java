package dev.weft.model.networking;

/** An HTTP header name and value. */
public record HTTPHeader(
    String name,
    String value) {}
