package dev.weft.controlplane.ca;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How weftd's CA issues certificates: the trust domain of the identities it signs ({@code --trust-domain}), the
 * validity it gives when a workload asks for none ({@code --workload-cert-ttl}), and a plugged-in CA in Istio's
 * {@code cacerts} layout ({@code --cacerts}), if any.
 */
public record CaSettings(String trustDomain, Duration workloadCertTtl, Optional<Path> cacerts) {

    public static final CaSettings DEFAULT = new CaSettings("cluster.local",
            CertificateAuthority.DEFAULT_WORKLOAD_TTL, Optional.empty());

    public CaSettings withTrustDomain(String domain) {
        return new CaSettings(domain, workloadCertTtl, cacerts);
    }

    public CaSettings withWorkloadCertTtl(Duration ttl) {
        return new CaSettings(trustDomain, ttl, cacerts);
    }

    public CaSettings withCacerts(Path dir) {
        return new CaSettings(trustDomain, workloadCertTtl, Optional.of(dir));
    }
}
