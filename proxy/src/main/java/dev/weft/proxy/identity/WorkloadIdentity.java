package dev.weft.proxy.identity;

import dev.weft.api.config.IstioDuration;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where this proxy gets its workload certificate, as the Istio agent beside Envoy does: the CA's gRPC target
 * (Istio's {@code CA_ADDR}), a file holding the bearer token that proves who the workload is (read anew for each
 * request, so it may rotate), the SPIFFE ID the certificate is for, and the validity to ask for.
 */
public record WorkloadIdentity(String caTarget, Path tokenFile, String spiffeId, Duration ttl) {

    /** Istio's defaults: certificates live 24 hours. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    /** The validity to ask the CA for, as the Istio agent reads its {@code SECRET_TTL} (unset: 24h). */
    public static Duration ttl(String secretTtl) {
        return secretTtl == null || secretTtl.isBlank() ? DEFAULT_TTL
                : IstioDuration.parse("SECRET_TTL", secretTtl.strip());
    }
}
