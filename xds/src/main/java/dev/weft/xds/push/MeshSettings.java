package dev.weft.xds.push;

import dev.weft.model.mesh.MeshConfig;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationGrpcProvider;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationHttpProvider;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationRequestBody;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    /** The settings a loaded mesh config says; {@code domainSuffix} is the cluster's, which MeshConfig does not hold. */
    public static MeshSettings of(MeshConfig config, String domainSuffix) {
        return new MeshSettings(config.rootNamespace(), domainSuffix, config.allowAnyOutbound(), config.trustDomain(),
                config.trustDomainAliases(), config.extensionProviders().stream().map(MeshSettings::provider).toList());
    }

    private static ExtensionProvider provider(MeshConfig.ExtensionProvider provider) {
        if (provider.envoyExtAuthzHttp() != null) {
            EnvoyExternalAuthorizationHttpProvider http = provider.envoyExtAuthzHttp();
            return ExtensionProvider.http(provider.name(), new ExtensionProvider.ExtAuthzHttp(http.service(),
                    http.port(), Optional.ofNullable(http.timeout()), http.pathPrefix(), http.failOpen(),
                    http.statusOnError(), http.includeRequestHeadersInCheck(), http.includeHeadersInCheck(),
                    http.includeAdditionalHeadersInCheck(), http.headersToUpstreamOnAllow(),
                    http.headersToDownstreamOnDeny(), http.headersToDownstreamOnAllow(),
                    body(http.includeRequestBodyInCheck())));
        }
        EnvoyExternalAuthorizationGrpcProvider grpc = provider.envoyExtAuthzGrpc();
        return ExtensionProvider.grpc(provider.name(), new ExtensionProvider.ExtAuthzGrpc(grpc.service(), grpc.port(),
                Optional.ofNullable(grpc.timeout()), grpc.failOpen(), grpc.statusOnError(),
                body(grpc.includeRequestBodyInCheck())));
    }

    private static Optional<ExtensionProvider.RequestBody> body(EnvoyExternalAuthorizationRequestBody body) {
        return Optional.ofNullable(body).map(b -> new ExtensionProvider.RequestBody((int) b.maxRequestBytes(),
                b.allowPartialMessage(), b.packAsBytes()));
    }

    public MeshSettings withTrustDomain(String domain, List<String> aliases) {
        return new MeshSettings(rootNamespace, domainSuffix, allowAnyOutbound, domain, aliases, extensionProviders);
    }

    public MeshSettings withExtensionProviders(List<ExtensionProvider> providers) {
        return new MeshSettings(rootNamespace, domainSuffix, allowAnyOutbound, trustDomain, trustDomainAliases,
                providers);
    }
}
