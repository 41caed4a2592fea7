package dev.weft.model.networking;

/** A certificate given as file paths. */
public record TLSCertificate(
    String serverCertificate,
    String privateKey,
    String caCertificates) {}
