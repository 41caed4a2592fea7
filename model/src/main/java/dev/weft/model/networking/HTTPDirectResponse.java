package dev.weft.model.networking;

/** A fixed response returned without contacting an upstream. */
public record HTTPDirectResponse(
    int status,
    HTTPBody body) {}
