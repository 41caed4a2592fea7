package dev.weft.model.security;

/** Copies a claim into a request header. */
public record ClaimToHeader(
    String header,
    String claim) {}
