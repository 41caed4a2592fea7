package dev.weft.xds.push;

import java.util.List;
import java.util.Objects;

/**
 * The mesh-wide settings the translation needs (a slice of Istio's MeshConfig).
 *
 * @param allowAnyOutbound meshConfig.outboundTrafficPolicy: true for ALLOW_ANY (Istio's default)
 * @param trustDomain the trust domain of workload identities ({@code spiffe://<trustDomain>/ns/..})
 * @param trustDomainAliases other trust domains whose identities count as this one's in policies
 * @param extensionProviders meshConfig.extensionProviders, the external authorizers CUSTOM policies name
 */
public record MeshSettings(String rootNamespace, String domainSuffix, boolean allowAnyOutbound, String trustDomain,
        List<String> trustDomainAliases, List<ExtensionProvider> extensionProviders) {

    public static final MeshSettings DEFAULT = new MeshSettings("istio-system", "cluster.local", true,
            "cluster.local", List.of(), List.of());

    public MeshSettings {
        Objects.requireNonNull(rootNamespace, "rootNamespace");
        Objects.requireNonNull(domainSuffix, "domainSuffix");
        Objects.requireNonNull(trustDomain, "trustDomain");
        trustDomainAliases = List.copyOf(trustDomainAliases);
        extensionProviders = List.copyOf(extensionProviders);
    }

    public MeshSettings withTrustDomain(String domain, List<String> aliases) {
        return new MeshSettings(rootNamespace, domainSuffix, allowAnyOutbound, domain, aliases, extensionProviders);
    }

    public MeshSettings withExtensionProviders(List<ExtensionProvider> providers) {
        return new MeshSettings(rootNamespace, domainSuffix, allowAnyOutbound, trustDomain, trustDomainAliases,
                providers);
    }
}
