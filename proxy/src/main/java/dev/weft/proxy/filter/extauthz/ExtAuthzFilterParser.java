package dev.weft.proxy.filter.extauthz;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.Percentages;
import dev.weft.proxy.matcher.MetadataMatcher;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.HttpService;
import java.time.Duration;
import java.util.Map;

/**
 * Parses {@code envoy.extensions.filters.http.ext_authz.v3.ExtAuthz} (Istio's CUSTOM AuthorizationPolicy action) and
 * the per-route {@code ExtAuthzPerRoute} ({@code disabled: true} turns it off for the route). Stats, as Envoy names
 * them: {@code http.<prefix>.ext_authz.<stat_prefix>ok|denied|error|disabled|failure_mode_allowed}. Not supported
 * (config errors): {@code google_grpc}, {@code clear_route_cache}, {@code decoder_header_mutation_rules}, per-route
 * {@code check_settings}.
 */
public final class ExtAuthzFilterParser {

    private static final MessageType<ExtAuthz> EXT_AUTHZ = MessageType.of(ExtAuthz.getDescriptor(), ExtAuthz.parser());
    private static final MessageType<ExtAuthzPerRoute> EXT_AUTHZ_PER_ROUTE = MessageType.of(
            ExtAuthzPerRoute.getDescriptor(), ExtAuthzPerRoute.parser());

    public static final String CONFIG_TYPE = EXT_AUTHZ.fullName();
    public static final String PER_ROUTE_TYPE = EXT_AUTHZ_PER_ROUTE.fullName();
    /** Envoy's default gRPC check timeout. */
    private static final Duration DEFAULT_GRPC_TIMEOUT = Duration.ofMillis(200);

    private ExtAuthzFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        return (any, context) -> {
            ExtAuthzConfig config = compile(unpack(any, EXT_AUTHZ), context);
            return () -> new ExtAuthzFilter(config);
        };
    }

    public static HttpFilterConfigParser perRouteParser() {
        return (any, context) -> {
            ExtAuthzPerRoute perRoute = unpack(any, EXT_AUTHZ_PER_ROUTE);
            if (perRoute.hasCheckSettings()) {
                throw new ConfigException("ext_authz per-route check_settings are not supported");
            }
            return perRoute.getDisabled() ? () -> stream -> FilterStatus.CONTINUE : null;
        };
    }

    static ExtAuthzConfig compile(ExtAuthz p, FilterContext context) {
        if (p.getTransportApiVersion() == ApiVersion.V2) {
            throw new ConfigException("ext_authz transport_api_version V2 is not supported (V3 is)");
        }
        if (p.getClearRouteCache() || p.hasDecoderHeaderMutationRules()) {
            throw new ConfigException("ext_authz clear_route_cache and decoder_header_mutation_rules are not supported");
        }
        AuthzService service = switch (p.getServicesCase()) {
            case HTTP_SERVICE -> http(p);
            case GRPC_SERVICE -> grpc(p.getGrpcService(), HeaderNames.of(p.hasAllowedHeaders(), p.getAllowedHeaders()),
                    HeaderNames.of(p.hasDisallowedHeaders(), p.getDisallowedHeaders()),
                    p.getWithRequestBody().getPackAsBytes());
            default -> throw new ConfigException("ext_authz needs http_service or grpc_service");
        };
        int statusOnError = p.hasStatusOnError() && p.getStatusOnError().getCodeValue() != 0
                ? p.getStatusOnError().getCodeValue() : 403;
        int maxBody = 0;
        if (p.hasWithRequestBody()) {
            maxBody = p.getWithRequestBody().getMaxRequestBytes();
            if (maxBody <= 0) {
                throw new ConfigException("ext_authz with_request_body.max_request_bytes must be greater than 0");
            }
        }
        int numerator = 1;
        int denominator = 1;
        if (p.hasFilterEnabled()) {
            numerator = p.getFilterEnabled().getDefaultValue().getNumerator();
            denominator = Percentages.denominator(p.getFilterEnabled().getDefaultValue());
        }
        MetadataMatcher metadata = p.hasFilterEnabledMetadata() ? MetadataMatcher.compile(p.getFilterEnabledMetadata())
                : null;
        boolean denyAtDisable = p.hasDenyAtDisable() && p.getDenyAtDisable().getDefaultValue().getValue();
        String prefix = "http." + context.statPrefix() + ".ext_authz." + p.getStatPrefix();
        var stats = context.stats();
        return new ExtAuthzConfig(service, p.getFailureModeAllow(), statusOnError, maxBody,
                p.getWithRequestBody().getAllowPartialMessage(), numerator, denominator, metadata, denyAtDisable,
                new ExtAuthzConfig.Stats(stats.counter(prefix + "ok"), stats.counter(prefix + "denied"),
                        stats.counter(prefix + "error"), stats.counter(prefix + "disabled"),
                        stats.counter(prefix + "failure_mode_allowed")));
    }

    private static HttpAuthzService http(ExtAuthz p) {
        HttpService h = p.getHttpService();
        if (h.getServerUri().getCluster().isEmpty() || !h.getServerUri().hasTimeout()) {
            throw new ConfigException("ext_authz http_service.server_uri needs a cluster and a timeout");
        }
        if (!h.getPathPrefix().isEmpty() && !h.getPathPrefix().startsWith("/")) {
            throw new ConfigException("ext_authz http_service.path_prefix must start with '/'");
        }
        @SuppressWarnings("deprecation") // Envoy still reads the old place when the new one is not set
        var request = h.getAuthorizationRequest();
        @SuppressWarnings("deprecation")
        HeaderNames allowed = p.hasAllowedHeaders() ? HeaderNames.of(true, p.getAllowedHeaders())
                : HeaderNames.of(request.hasAllowedHeaders(), request.getAllowedHeaders());
        var response = h.getAuthorizationResponse();
        return new HttpAuthzService(new HttpAuthzService.Settings(h.getServerUri().getCluster(),
                Durations.of(h.getServerUri().getTimeout()), h.getPathPrefix(), allowed,
                HeaderNames.of(p.hasDisallowedHeaders(), p.getDisallowedHeaders()),
                request.getHeadersToAddList().stream().map(v -> Map.entry(v.getKey(), v.getValue())).toList(),
                HeaderNames.of(response.hasAllowedUpstreamHeaders(), response.getAllowedUpstreamHeaders()),
                HeaderNames.of(response.hasAllowedUpstreamHeadersToAppend(),
                        response.getAllowedUpstreamHeadersToAppend()),
                HeaderNames.of(response.hasAllowedClientHeaders(), response.getAllowedClientHeaders()),
                HeaderNames.of(response.hasAllowedClientHeadersOnSuccess(),
                        response.getAllowedClientHeadersOnSuccess())));
    }

    /** An {@code envoy_grpc} service; the header lists may be null (all headers). */
    static GrpcAuthzService grpc(GrpcService g, HeaderNames allowedHeaders, HeaderNames disallowedHeaders,
            boolean packAsBytes) {
        if (!g.hasEnvoyGrpc() || g.getEnvoyGrpc().getClusterName().isEmpty()) {
            throw new ConfigException("ext_authz grpc_service needs envoy_grpc.cluster_name (google_grpc is not supported)");
        }
        String cluster = g.getEnvoyGrpc().getClusterName();
        String authority = g.getEnvoyGrpc().getAuthority().isEmpty() ? cluster : g.getEnvoyGrpc().getAuthority();
        Duration timeout = g.hasTimeout() ? Durations.of(g.getTimeout()) : DEFAULT_GRPC_TIMEOUT;
        return new GrpcAuthzService(new GrpcAuthzService.Settings(cluster, authority, timeout, allowedHeaders,
                disallowedHeaders, packAsBytes));
    }

    private static <T extends Message> T unpack(Any any, MessageType<T> type) {
        try {
            return type.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("ext_authz config does not parse: " + e.getMessage());
        }
    }
}
