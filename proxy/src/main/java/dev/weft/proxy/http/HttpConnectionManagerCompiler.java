package dev.weft.proxy.http;

import dev.weft.proxy.accesslog.AccessLogCompiler;
import dev.weft.proxy.accesslog.AccessLogSink;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.HttpFilterRegistry;
import dev.weft.proxy.filter.NamedFilter;
import dev.weft.proxy.filter.PerRouteFilterConfigs;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.RouteTableCompiler;
import dev.weft.proxy.tls.ClientCertificateDetails;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.tracing.Tracers;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Compiles an {@link HttpConnectionManager} into an {@link HttpConnectionManagerConfig}, or throws. */
public final class HttpConnectionManagerCompiler {

    private final HttpFilterRegistry filters;
    private final Function<String, FilterContext> filterContexts;
    private final AccessLogCompiler accessLogs;
    private final Tracers tracers;

    /**
     * @param filterContexts the filter context for a stat prefix
     * @param fileSinks opens (or reuses) the sink for an access log path
     * @param tracers compiles {@code tracing}
     */
    public HttpConnectionManagerCompiler(HttpFilterRegistry filters, Function<String, FilterContext> filterContexts,
            Function<String, AccessLogSink> fileSinks, Tracers tracers) {
        this.filters = filters;
        this.filterContexts = filterContexts;
        this.accessLogs = new AccessLogCompiler(fileSinks);
        this.tracers = tracers;
    }

    /** A compiler whose tracers report to no collector: for compiling config outside a running proxy. */
    public HttpConnectionManagerCompiler(HttpFilterRegistry filters, Function<String, FilterContext> filterContexts,
            Function<String, AccessLogSink> fileSinks) {
        this(filters, filterContexts, fileSinks, Tracers.detached(new Stats()));
    }

    public HttpConnectionManagerConfig compile(HttpConnectionManager p) {
        return compile(p, TrafficDirection.UNSPECIFIED);
    }

    /** @param direction the listener's traffic direction, which makes its spans SERVER or CLIENT */
    public HttpConnectionManagerConfig compile(HttpConnectionManager p, TrafficDirection direction) {
        if (p.getStatPrefix().isEmpty()) {
            throw new ConfigException("http_connection_manager needs a stat_prefix");
        }
        RouteTable inline = null;
        String rds = null;
        switch (p.getRouteSpecifierCase()) {
            case ROUTE_CONFIG -> inline = RouteTableCompiler.compile(p.getRouteConfig(),
                    new PerRouteFilterConfigs(filters, filterContexts.apply(p.getStatPrefix())));
            case RDS -> {
                rds = p.getRds().getRouteConfigName();
                if (rds.isEmpty()) {
                    throw new ConfigException("rds needs a route_config_name");
                }
            }
            default -> throw new ConfigException("http_connection_manager needs route_config or rds (scoped routes are not supported)");
        }
        HttpConnectionManagerConfig.CodecType codec = switch (p.getCodecType()) {
            case HTTP1 -> HttpConnectionManagerConfig.CodecType.HTTP1;
            case HTTP2 -> HttpConnectionManagerConfig.CodecType.HTTP2;
            case AUTO -> HttpConnectionManagerConfig.CodecType.AUTO;
            default -> throw new ConfigException("unsupported codec_type " + p.getCodecType());
        };
        FilterContext context = filterContexts.apply(p.getStatPrefix());
        List<NamedFilter> chain = filterChain(p.getHttpFiltersList(), context);
        Duration idle = p.hasStreamIdleTimeout() ? Durations.of(p.getStreamIdleTimeout()) : Duration.ofMinutes(5);
        Duration request = p.hasRequestTimeout() ? Durations.of(p.getRequestTimeout()) : Duration.ZERO;
        Duration headers = p.hasRequestHeadersTimeout() ? Durations.of(p.getRequestHeadersTimeout()) : Duration.ZERO;
        int maxHeaders = (p.hasMaxRequestHeadersKb() ? p.getMaxRequestHeadersKb().getValue() : 60) * 1024;
        boolean websocket = upgrades(p, "websocket");
        boolean connect = upgrades(p, "CONNECT");
        return new HttpConnectionManagerConfig(p.getStatPrefix(), codec, inline, rds, chain,
                p.hasUseRemoteAddress() && p.getUseRemoteAddress().getValue(),
                !p.hasGenerateRequestId() || p.getGenerateRequestId().getValue(), p.getPreserveExternalRequestId(),
                idle, request, headers, maxHeaders, p.getServerName().isEmpty() ? "weft" : p.getServerName(),
                serverHeader(p), websocket, connect,
                protocolOptions(p), accessLogs.compile(p.getAccessLogList()), new HttpStats(context.stats(), p.getStatPrefix()),
                forwardClientCert(p), tracers.compile(p, direction));
    }

    private static HttpConnectionManagerConfig.ServerHeader serverHeader(HttpConnectionManager p) {
        return switch (p.getServerHeaderTransformation()) {
            case APPEND_IF_ABSENT -> HttpConnectionManagerConfig.ServerHeader.APPEND_IF_ABSENT;
            case PASS_THROUGH -> HttpConnectionManagerConfig.ServerHeader.PASS_THROUGH;
            default -> HttpConnectionManagerConfig.ServerHeader.OVERWRITE;
        };
    }

    private static boolean upgrades(HttpConnectionManager p, String type) {
        return p.getUpgradeConfigsList().stream()
                .anyMatch(u -> u.getUpgradeType().equalsIgnoreCase(type) && (!u.hasEnabled() || u.getEnabled().getValue()));
    }

    private static ForwardClientCert forwardClientCert(HttpConnectionManager p) {
        ForwardClientCert.Mode mode = switch (p.getForwardClientCertDetails()) {
            case SANITIZE -> ForwardClientCert.Mode.SANITIZE;
            case FORWARD_ONLY -> ForwardClientCert.Mode.FORWARD_ONLY;
            case APPEND_FORWARD -> ForwardClientCert.Mode.APPEND_FORWARD;
            case SANITIZE_SET -> ForwardClientCert.Mode.SANITIZE_SET;
            case ALWAYS_FORWARD_ONLY -> ForwardClientCert.Mode.ALWAYS_FORWARD_ONLY;
            default -> throw new ConfigException("unsupported forward_client_cert_details "
                    + p.getForwardClientCertDetailsValue());
        };
        var set = p.getSetCurrentClientCertDetails();
        return new ForwardClientCert(mode, new ClientCertificateDetails(set.hasSubject() && set.getSubject().getValue(),
                set.getCert(), set.getChain(), set.getDns(), set.getUri()));
    }

    private static HttpProtocolOptions protocolOptions(HttpConnectionManager p) {
        HttpProtocolOptions d = HttpProtocolOptions.DEFAULTS;
        var common = p.getCommonHttpProtocolOptions();
        var http1 = p.getHttpProtocolOptions();
        var http2 = p.getHttp2ProtocolOptions();
        HttpProtocolOptions.UnderscoresAction underscores = switch (common.getHeadersWithUnderscoresAction()) {
            case ALLOW -> HttpProtocolOptions.UnderscoresAction.ALLOW;
            case REJECT_REQUEST -> HttpProtocolOptions.UnderscoresAction.REJECT_REQUEST;
            case DROP_HEADER -> HttpProtocolOptions.UnderscoresAction.DROP_HEADER;
            default -> throw new ConfigException("unsupported headers_with_underscores_action "
                    + common.getHeadersWithUnderscoresActionValue());
        };
        if (http2.hasMaxConcurrentStreams() && http2.getMaxConcurrentStreams().getValue() == 0) {
            throw new ConfigException("http2_protocol_options.max_concurrent_streams must be at least 1");
        }
        if (common.hasMaxHeadersCount() && common.getMaxHeadersCount().getValue() == 0) {
            throw new ConfigException("common_http_protocol_options.max_headers_count must be at least 1");
        }
        return new HttpProtocolOptions(
                common.hasIdleTimeout() ? Durations.of(common.getIdleTimeout()) : d.idleTimeout(),
                common.hasMaxConnectionDuration() ? Durations.of(common.getMaxConnectionDuration())
                        : d.maxConnectionDuration(),
                common.hasMaxRequestsPerConnection() ? common.getMaxRequestsPerConnection().getValue()
                        : d.maxRequestsPerConnection(),
                common.hasMaxHeadersCount() ? common.getMaxHeadersCount().getValue() : d.maxHeadersCount(),
                underscores, http1.getAcceptHttp10(),
                http1.getDefaultHostForHttp10().isEmpty() ? null : http1.getDefaultHostForHttp10(),
                http2.hasMaxConcurrentStreams() ? Integer.toUnsignedLong(http2.getMaxConcurrentStreams().getValue())
                        : d.maxConcurrentStreams());
    }

    private List<NamedFilter> filterChain(List<HttpFilter> protos, FilterContext context) {
        if (protos.isEmpty()) {
            throw new ConfigException("http_filters must end with the router filter");
        }
        List<NamedFilter> chain = new ArrayList<>();
        for (int i = 0; i < protos.size(); i++) {
            HttpFilter f = protos.get(i);
            String typeUrl = f.getTypedConfig().getTypeUrl();
            if (!f.hasTypedConfig()) {
                throw new ConfigException("http filter '" + f.getName() + "' needs a typed_config");
            }
            boolean last = i == protos.size() - 1;
            if (filters.isTerminal(typeUrl) != last) {
                throw new ConfigException(last ? "the last http filter must be the router, not '" + f.getName() + "'"
                        : "the router filter must be the last http filter");
            }
            var parser = filters.parser(typeUrl);
            if (parser.isEmpty()) {
                if (f.getIsOptional() || f.getDisabled()) {
                    continue;
                }
                throw new ConfigException("http filter '" + f.getName() + "' has an unknown type " + typeUrl);
            }
            if (f.getDisabled()) {
                continue;
            }
            HttpFilterConfigParser p = parser.get();
            try {
                chain.add(new NamedFilter(f.getName(), p.parse(f.getTypedConfig(), context)));
            } catch (ConfigException e) {
                throw new ConfigException("http filter '" + f.getName() + "': " + e.getMessage());
            }
        }
        return chain;
    }

    /** The access log compiler this one uses, for other network filters (tcp_proxy) to share its files. */
    public AccessLogCompiler accessLogs() {
        return accessLogs;
    }
}
