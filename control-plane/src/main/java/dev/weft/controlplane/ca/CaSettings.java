package dev.weft.controlplane.ca;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How weftd's CA issues certificates: the trust domain of the identities it signs ({@code --trust-domain}), the
 * validity it gives when a workload asks for none ({@code --workload-cert-ttl}), and a plugged-in CA in Istio's
 * {@code cacerts} layout ({@code --cacerts}), if any.
 *
 * @param trustDomain the {@code --trust-domain} flag; without it the mesh config's trustDomain is used (Istio's
 *     cluster.local without a mesh config)
 */
public record CaSettings(Optional<String> trustDomain, Duration workloadCertTtl, Optional<Path> cacerts) {

    public static final CaSettings DEFAULT = new CaSettings(Optional.empty(),
            CertificateAuthority.DEFAULT_WORKLOAD_TTL, Optional.empty());

    public CaSettings withTrustDomain(String domain) {
        return new CaSettings(Optional.of(domain), workloadCertTtl, cacerts);
    }

    public CaSettings withWorkloadCertTtl(Duration ttl) {
        return new CaSettings(trustDomain, ttl, cacerts);
    }

    public CaSettings withCacerts(Path dir) {
        return new CaSettings(trustDomain, workloadCertTtl, Optional.of(dir));
    }
}
