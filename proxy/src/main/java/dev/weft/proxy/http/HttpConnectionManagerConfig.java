package dev.weft.proxy.http;

import dev.weft.proxy.accesslog.AccessLogger;
import dev.weft.proxy.filter.NamedFilter;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.tracing.HttpTracer;
import java.time.Duration;
import java.util.List;

/**
 * A validated http_connection_manager. Exactly one of {@code inlineRoutes} and {@code rdsName} is set.
 * Zero durations mean "no timeout". {@code serverHeader} says whether {@code serverName} replaces a response's
 * {@code server} header, fills it only when absent, or leaves it alone. {@code connectUpgrade}: upgrade_configs take CONNECT, without which a CONNECT
 * request is refused (403), as Envoy does. {@code tracer} is null when the connection manager traces nothing.
 */
public record HttpConnectionManagerConfig(String statPrefix, CodecType codecType, RouteTable inlineRoutes,
        String rdsName, List<NamedFilter> filters, boolean useRemoteAddress,
        boolean generateRequestId, boolean preserveExternalRequestId, Duration streamIdleTimeout,
        Duration requestTimeout, Duration requestHeadersTimeout, int maxRequestHeadersBytes, String serverName,
        ServerHeader serverHeader,
        boolean websocketUpgrade, boolean connectUpgrade, HttpProtocolOptions protocol, List<AccessLogger> accessLogs, HttpStats stats,
        ForwardClientCert forwardClientCert, HttpTracer tracer) {

    public HttpConnectionManagerConfig {
        filters = List.copyOf(filters);
        accessLogs = List.copyOf(accessLogs);
    }

    public enum CodecType { AUTO, HTTP1, HTTP2 }

    /** Envoy's server_header_transformation: what happens to a response's {@code server} header. */
    public enum ServerHeader { OVERWRITE, APPEND_IF_ABSENT, PASS_THROUGH }
}
