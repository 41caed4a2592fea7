package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/**
 * A compiled SDS secret: a certificate with its key, or a validation context. The proto is kept for
 * /config_dump (with its private key redacted there).
 */
public record TlsSecret(String name, CertificateMaterial certificate, ValidationMaterial validation, Secret proto) {

    /** Parses and checks a secret, or throws {@link ConfigException} saying what is wrong with it. */
    public static TlsSecret compile(Secret proto) {
        if (proto.getName().isEmpty()) {
            throw new ConfigException("secret needs a name");
        }
        return switch (proto.getTypeCase()) {
            case TLS_CERTIFICATE -> new TlsSecret(proto.getName(),
                    CertificateMaterial.of(proto.getTlsCertificate(), "tls_certificate"), null, proto);
            case VALIDATION_CONTEXT -> new TlsSecret(proto.getName(), null,
                    ValidationMaterial.of(proto.getValidationContext(), "validation_context"), proto);
            default -> throw new ConfigException("only tls_certificate and validation_context secrets are supported");
        };
    }
}
