package dev.weft.model.security;

/** Mutual TLS setting. */
public record PeerMutualTls(
    MtlsMode mode) {}
