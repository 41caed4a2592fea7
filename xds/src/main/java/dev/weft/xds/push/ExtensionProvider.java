package dev.weft.xds.push;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One of meshConfig.extensionProviders: a named external service that CUSTOM AuthorizationPolicies delegate to
 * ({@code provider.name}). Only Envoy's external authorization, over HTTP or gRPC, is modelled; exactly one of
 * the two is set, as in Istio's oneof.
 */
public record ExtensionProvider(String name, Optional<ExtAuthzHttp> envoyExtAuthzHttp,
        Optional<ExtAuthzGrpc> envoyExtAuthzGrpc) {

    public ExtensionProvider {
        Objects.requireNonNull(name, "name");
        if (envoyExtAuthzHttp.isPresent() == envoyExtAuthzGrpc.isPresent()) {
            throw new IllegalArgumentException("extension provider " + name + " needs exactly one provider kind");
        }
    }

    public static ExtensionProvider http(String name, ExtAuthzHttp provider) {
        return new ExtensionProvider(name, Optional.of(provider), Optional.empty());
    }

    public static ExtensionProvider grpc(String name, ExtAuthzGrpc provider) {
        return new ExtensionProvider(name, Optional.empty(), Optional.of(provider));
    }

    /**
     * envoyExtAuthzHttp.
     *
     * @param service {@code <namespace>/<hostname>}, or a hostname declared in one namespace only
     * @param timeout empty for Istio's default (600s)
     * @param statusOnError the HTTP status sent when the authorizer fails; empty for Envoy's default (403)
     * @param includeHeadersInCheck deprecated; used only when includeRequestHeadersInCheck is empty
     */
    public record ExtAuthzHttp(String service, long port, Optional<Duration> timeout, String pathPrefix,
            boolean failOpen, String statusOnError, List<String> includeRequestHeadersInCheck,
            List<String> includeHeadersInCheck, Map<String, String> includeAdditionalHeadersInCheck,
            List<String> headersToUpstreamOnAllow, List<String> headersToDownstreamOnDeny,
            List<String> headersToDownstreamOnAllow, Optional<RequestBody> includeRequestBodyInCheck) {

        public ExtAuthzHttp {
            includeRequestHeadersInCheck = List.copyOf(includeRequestHeadersInCheck);
            includeHeadersInCheck = List.copyOf(includeHeadersInCheck);
            includeAdditionalHeadersInCheck = Map.copyOf(includeAdditionalHeadersInCheck);
            headersToUpstreamOnAllow = List.copyOf(headersToUpstreamOnAllow);
            headersToDownstreamOnDeny = List.copyOf(headersToDownstreamOnDeny);
            headersToDownstreamOnAllow = List.copyOf(headersToDownstreamOnAllow);
        }
    }

    /** envoyExtAuthzGrpc; fields as in {@link ExtAuthzHttp}. */
    public record ExtAuthzGrpc(String service, long port, Optional<Duration> timeout, boolean failOpen,
            String statusOnError, Optional<RequestBody> includeRequestBodyInCheck) {
    }

    /** includeRequestBodyInCheck: buffer the request body and send it to the authorizer. */
    public record RequestBody(int maxRequestBytes, boolean allowPartialMessage, boolean packAsBytes) {
    }
}
