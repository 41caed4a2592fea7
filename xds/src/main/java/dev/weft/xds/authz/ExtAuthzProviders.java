package dev.weft.xds.authz;

import com.google.protobuf.Duration;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.cluster.Durations;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.push.ExtensionProvider;
import dev.weft.xds.push.ExtensionProvider.ExtAuthzGrpc;
import dev.weft.xds.push.ExtensionProvider.ExtAuthzHttp;
import dev.weft.xds.push.ExtensionProvider.RequestBody;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationRequest;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationResponse;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.BufferSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.HttpService;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The mesh's ext_authz extension providers as Envoy filter configs (Istio's builder/extauthz.go), without the
 * metadata matcher that enables them (it names the provider). The authorizer's cluster is the outbound cluster of
 * its service and port. A provider with an error is kept with its errors, so the policies naming it deny what
 * they match instead of being ignored.
 */
final class ExtAuthzProviders {

    private static final Duration DEFAULT_TIMEOUT = Durations.seconds(600);
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,255}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");

    /** A resolved provider: the filters for HTTP and (gRPC only) TCP chains, or why it cannot be used. */
    record Resolved(Optional<ExtAuthz> http,
            Optional<io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz> tcp, List<String> errors) {
    }

    private ExtAuthzProviders() {
    }

    static Map<String, Resolved> resolve(PushContext push) {
        Map<String, Resolved> resolved = new HashMap<>();
        List<ExtensionProvider> providers = push.mesh().extensionProviders();
        for (int i = 0; i < providers.size(); i++) {
            ExtensionProvider provider = providers.get(i);
            List<String> errors = new ArrayList<>();
            if (provider.name().isEmpty()) {
                errors.add("extension provider name must not be empty, found empty at index: " + i);
            } else if (resolved.containsKey(provider.name())) {
                errors.add("extension provider name must be unique, found duplicate: " + provider.name());
            }
            if (!provider.name().isEmpty() && !PROVIDER_NAME.matcher(provider.name()).matches()) {
                errors.add("invalid provider name " + provider.name()
                        + ": only lowercase letters, digits and inner hyphens, at most 63 characters");
            }
            Resolved built = provider.envoyExtAuthzHttp().map(http -> http(push, http))
                    .orElseGet(() -> grpc(push, provider.envoyExtAuthzGrpc().orElseThrow()));
            errors.addAll(built.errors());
            resolved.put(provider.name(), new Resolved(built.http(), built.tcp(), errors));
        }
        return resolved;
    }

    private static Resolved http(PushContext push, ExtAuthzHttp config) {
        List<String> errors = new ArrayList<>();
        Optional<Service> service = service(push, config.service(), config.port(), errors);
        Optional<HttpStatus> status = status(config.statusOnError(), errors);
        String pathPrefix = config.pathPrefix() == null ? "" : config.pathPrefix();
        if (!pathPrefix.isEmpty()) {
            try {
                new URI(pathPrefix);
            } catch (URISyntaxException e) {
                errors.add("invalid pathPrefix " + pathPrefix + ": " + e.getMessage());
            }
            if (!pathPrefix.startsWith("/")) {
                errors.add("pathPrefix must begin with `/`, found: \"" + pathPrefix + "\"");
            }
        }
        Map<String, List<String>> headerLists = Map.of(
                "includeRequestHeadersInCheck", config.includeRequestHeadersInCheck(),
                "includeHeadersInCheck", config.includeHeadersInCheck(),
                "headersToDownstreamOnDeny", config.headersToDownstreamOnDeny(),
                "headersToDownstreamOnAllow", config.headersToDownstreamOnAllow(),
                "headersToUpstreamOnAllow", config.headersToUpstreamOnAllow());
        new TreeMap<>(headerLists).forEach((field, headers) -> {
            if (headers.contains("*")) {
                errors.add("a single wildcard (\"*\") is not supported, change it to either prefix or suffix match: "
                        + field);
            }
        });
        if (!errors.isEmpty()) {
            return failed(errors);
        }
        String hostname = service.orElseThrow().hostname();
        HttpService.Builder http = HttpService.newBuilder()
                .setPathPrefix(pathPrefix)
                .setServerUri(HttpUri.newBuilder()
                        .setUri("http://" + hostname)
                        .setCluster(cluster(service.get(), config.port()))
                        .setTimeout(config.timeout().map(Durations::of).orElse(DEFAULT_TIMEOUT)));
        if (!config.includeAdditionalHeadersInCheck().isEmpty()) {
            AuthorizationRequest.Builder request = AuthorizationRequest.newBuilder();
            new TreeMap<>(config.includeAdditionalHeadersInCheck()).forEach((key, value) ->
                    request.addHeadersToAdd(HeaderValue.newBuilder().setKey(key).setValue(value)));
            http.setAuthorizationRequest(request);
        }
        if (!config.headersToUpstreamOnAllow().isEmpty() || !config.headersToDownstreamOnDeny().isEmpty()
                || !config.headersToDownstreamOnAllow().isEmpty()) {
            AuthorizationResponse.Builder response = AuthorizationResponse.newBuilder();
            headers(config.headersToUpstreamOnAllow()).ifPresent(response::setAllowedUpstreamHeaders);
            headers(config.headersToDownstreamOnDeny()).ifPresent(response::setAllowedClientHeaders);
            headers(config.headersToDownstreamOnAllow()).ifPresent(response::setAllowedClientHeadersOnSuccess);
            http.setAuthorizationResponse(response);
        }
        ExtAuthz.Builder filter = ExtAuthz.newBuilder()
                .setFailureModeAllow(config.failOpen())
                .setTransportApiVersion(ApiVersion.V3)
                .setHttpService(http);
        status.ifPresent(filter::setStatusOnError);
        config.includeRequestBodyInCheck().map(ExtAuthzProviders::body).ifPresent(filter::setWithRequestBody);
        // includeHeadersInCheck is deprecated: only used when includeRequestHeadersInCheck is not set.
        headers(config.includeRequestHeadersInCheck()).or(() -> headers(config.includeHeadersInCheck()))
                .ifPresent(filter::setAllowedHeaders);
        return new Resolved(Optional.of(filter.build()), Optional.empty(), List.of());
    }

    private static Resolved grpc(PushContext push, ExtAuthzGrpc config) {
        List<String> errors = new ArrayList<>();
        Optional<Service> service = service(push, config.service(), config.port(), errors);
        Optional<HttpStatus> status = status(config.statusOnError(), errors);
        if (!errors.isEmpty()) {
            return failed(errors);
        }
        GrpcService grpc = GrpcService.newBuilder()
                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                        .setClusterName(cluster(service.orElseThrow(), config.port()))
                        .setAuthority(service.get().hostname()))
                .setTimeout(config.timeout().map(Durations::of).orElse(DEFAULT_TIMEOUT))
                .build();
        ExtAuthz.Builder http = ExtAuthz.newBuilder()
                .setFailureModeAllow(config.failOpen())
                .setGrpcService(grpc)
                .setTransportApiVersion(ApiVersion.V3);
        status.ifPresent(http::setStatusOnError);
        config.includeRequestBodyInCheck().map(ExtAuthzProviders::body).ifPresent(http::setWithRequestBody);
        var tcp = io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.newBuilder()
                .setStatPrefix("tcp.")
                .setFailureModeAllow(config.failOpen())
                .setTransportApiVersion(ApiVersion.V3)
                .setGrpcService(grpc)
                .build();
        return new Resolved(Optional.of(http.build()), Optional.of(tcp), List.of());
    }

    private static Resolved failed(List<String> errors) {
        return new Resolved(Optional.empty(), Optional.empty(), errors);
    }

    /**
     * The service {@code <namespace>/<hostname>}, or {@code <hostname>} when exactly one namespace declares it
     * (Istio's LookupCluster, over every service whatever its visibility); also checks the port and the name.
     */
    private static Optional<Service> service(PushContext push, String service, long port, List<String> errors) {
        if (port < 1 || port > 65535) {
            errors.add("port must be in the range [1, 65535], found: " + port);
        }
        if (service == null || service.isEmpty()) {
            errors.add("service must not be empty");
            return Optional.empty();
        }
        String[] parts = service.split("/", -1);
        if (parts.length > 2 || !DNS_NAME.matcher(parts[parts.length - 1]).matches()) {
            errors.add("invalid service " + service);
            return Optional.empty();
        }
        List<Service> named = push.servicesNamed(parts[parts.length - 1]);
        if (parts.length == 2) {
            Optional<Service> found = named.stream().filter(s -> s.namespace().equals(parts[0])).findFirst();
            if (found.isEmpty()) {
                errors.add("could not find service " + service + " in the service registry");
            }
            return found;
        }
        if (named.size() > 1) {
            errors.add("found " + service + " in multiple namespaces " + named.stream().map(Service::namespace)
                    .toList() + ", specify the namespace explicitly in the format of <Namespace>/<Hostname>");
            return Optional.empty();
        }
        if (named.isEmpty()) {
            errors.add("could not find service " + service + " in the service registry");
        }
        return named.stream().findFirst();
    }

    private static String cluster(Service service, long port) {
        return ClusterNames.outbound((int) port, "", service.hostname());
    }

    private static Optional<HttpStatus> status(String statusOnError, List<String> errors) {
        if (statusOnError == null || statusOnError.isEmpty()) {
            return Optional.empty();
        }
        StatusCode code = statusOnError.matches("-?\\d{1,10}") ? StatusCode.forNumber(parseInt(statusOnError)) : null;
        if (code == null) {
            errors.add("unsupported statusOnError " + statusOnError);
            return Optional.empty();
        }
        return Optional.of(HttpStatus.newBuilder().setCode(code).build());
    }

    private static int parseInt(String value) {
        long parsed = Long.parseLong(value);
        return parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE ? -1 : (int) parsed;
    }

    private static BufferSettings body(RequestBody body) {
        return BufferSettings.newBuilder()
                .setMaxRequestBytes(body.maxRequestBytes())
                .setAllowPartialMessage(body.allowPartialMessage())
                .setPackAsBytes(body.packAsBytes())
                .build();
    }

    /** Header names, {@code x-*} as prefix and {@code *-x} as suffix, all case-insensitive. */
    private static Optional<ListStringMatcher> headers(List<String> headers) {
        if (headers.isEmpty()) {
            return Optional.empty();
        }
        ListStringMatcher.Builder list = ListStringMatcher.newBuilder();
        for (String header : headers) {
            StringMatcher matcher = header.startsWith("*") ? RbacMatchers.suffix(header.substring(1), true)
                    : header.endsWith("*") ? RbacMatchers.prefix(header.substring(0, header.length() - 1), true)
                    : RbacMatchers.exact(header, true);
            list.addPatterns(matcher);
        }
        return Optional.of(list.build());
    }
}
