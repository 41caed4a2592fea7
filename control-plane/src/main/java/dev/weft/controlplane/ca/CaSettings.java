package dev.weft.controlplane.ca;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How weftd's CA issues certificates: the trust domain of the identities it signs ({@code --trust-domain}), the
 * validity it gives when a workload asks for none ({@code --workload-cert-ttl}), a plugged-in CA in Istio's
 * {@code cacerts} layout ({@code --cacerts}), if any, and the names weftd's own serving certificate carries beside
 * istiod's ({@code --xds-san}: DNS names or IP addresses clients dial it by).
 *
 * @param trustDomain the {@code --trust-domain} flag; without it the mesh config's trustDomain is used (Istio's
 *     cluster.local without a mesh config)
 */
public record CaSettings(Optional<String> trustDomain, Duration workloadCertTtl, Optional<Path> cacerts,
        List<String> extraServingNames) {

    public static final CaSettings DEFAULT = new CaSettings(Optional.empty(),
            CertificateAuthority.DEFAULT_WORKLOAD_TTL, Optional.empty(), List.of());

    public CaSettings {
        extraServingNames = List.copyOf(extraServingNames);
    }

    public CaSettings withTrustDomain(String domain) {
        return new CaSettings(Optional.of(domain), workloadCertTtl, cacerts, extraServingNames);
    }

    public CaSettings withWorkloadCertTtl(Duration ttl) {
        return new CaSettings(trustDomain, ttl, cacerts, extraServingNames);
    }

    public CaSettings withCacerts(Path dir) {
        return new CaSettings(trustDomain, workloadCertTtl, Optional.of(dir), extraServingNames);
    }

    /** One more DNS name or IP address for weftd's serving certificate. */
    public CaSettings withServingName(String name) {
        List<String> names = new ArrayList<>(extraServingNames);
        names.add(name);
        return new CaSettings(trustDomain, workloadCertTtl, cacerts, names);
    }
}
