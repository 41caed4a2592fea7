package dev.weft.model.networking;

import java.util.List;

/** TLS terminated (or passed through) by a gateway or sidecar ingress listener. */
public record ServerTLSSettings(
    boolean httpsRedirect,
    ServerTLSMode mode,
    String serverCertificate,
    String privateKey,
    String caCertificates,
    String caCrl,
    String credentialName,
    List<String> credentialNames,
    List<TLSCertificate> tlsCertificates,
    String caCertCredentialName,
    List<String> subjectAltNames,
    List<String> verifyCertificateSpki,
    List<String> verifyCertificateHash,
    TLSProtocol minProtocolVersion,
    TLSProtocol maxProtocolVersion,
    List<String> cipherSuites,
    Boolean insecureSkipVerify) {}
