package dev.weft.model.networking;

/** Header manipulation for requests and responses. */
public record Headers(
    HeaderOperations request,
    HeaderOperations response) {}
