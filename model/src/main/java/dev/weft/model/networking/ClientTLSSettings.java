package dev.weft.model.networking;

import java.util.List;

/** TLS originated by the client proxy toward the upstream. */
public record ClientTLSSettings(
    ClientTLSMode mode,
    String clientCertificate,
    String privateKey,
    String caCertificates,
    String credentialName,
    List<String> subjectAltNames,
    String sni,
    Boolean insecureSkipVerify,
    String caCrl) {}
