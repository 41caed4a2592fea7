package dev.weft.proxy.accesslog;

import dev.weft.proxy.streaminfo.ResponseFlag;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The attributes of Envoy's CEL vocabulary ({@code request.*}, {@code response.*}, {@code source.*},
 * {@code destination.*}, {@code connection.*}, {@code upstream.*}, {@code xds.*}) that a finished request or
 * connection has, with Envoy's types: ints as {@code Long}, durations, strings, bools, and header maps. A reader
 * returns null for a value the request does not have (no response code on a TCP connection, no upstream host),
 * which CEL sees as an error.
 */
final class CelAttributes {

    private static final Map<String, Function<AccessLogContext, Object>> READERS = readers();

    private CelAttributes() {
    }

    /** The reader of a known attribute, or null. */
    static Function<AccessLogContext, Object> reader(String name) {
        return READERS.get(name);
    }

    /** Whether {@code name} starts an attribute path ({@code request}, {@code response}, ...). */
    static boolean isRoot(String name) {
        String prefix = name + ".";
        return READERS.keySet().stream().anyMatch(n -> n.startsWith(prefix));
    }

    private static Map<String, Function<AccessLogContext, Object>> readers() {
        Map<String, Function<AccessLogContext, Object>> r = new TreeMap<>();
        r.put("request.path", c -> c.requestHeader(":path"));
        r.put("request.url_path", c -> before(c.requestHeader(":path"), '?'));
        r.put("request.query", c -> after(c.requestHeader(":path"), '?'));
        r.put("request.host", c -> c.requestHeader(":authority"));
        r.put("request.scheme", c -> c.requestHeader(":scheme"));
        r.put("request.method", c -> c.requestHeader(":method"));
        r.put("request.headers", c -> c.protocol() == null ? null : headers(c, true));
        r.put("request.referer", c -> c.requestHeader("referer"));
        r.put("request.useragent", c -> c.requestHeader("user-agent"));
        r.put("request.id", c -> c.requestHeader("x-request-id"));
        r.put("request.protocol", AccessLogContext::protocol);
        r.put("request.duration", c -> Duration.ofNanos(c.durationNanos()));
        r.put("request.size", c -> c.protocol() == null ? null : c.bytesReceived());
        r.put("response.code", c -> c.responseCode() == 0 ? null : (long) c.responseCode());
        r.put("response.code_details", AccessLogContext::responseCodeDetails);
        r.put("response.flags", c -> envoyFlags(c.responseFlags()));
        r.put("response.grpc_status", CelAttributes::grpcStatus);
        r.put("response.headers", c -> c.protocol() == null ? null : headers(c, false));
        r.put("response.trailers", c -> c.protocol() == null ? null : (CelMap) key -> c.responseTrailer(lower(key)));
        r.put("response.size", c -> c.protocol() == null ? null : c.bytesSent());
        r.put("source.address", c -> CommandOperators.address(CommandOperators.remote(c), true));
        r.put("source.port", c -> CommandOperators.port(CommandOperators.remote(c)));
        r.put("destination.address", c -> CommandOperators.address(CommandOperators.local(c), true));
        r.put("destination.port", c -> CommandOperators.port(CommandOperators.local(c)));
        r.put("connection.mtls", c -> DownstreamTlsFacts.peerCertificatePresented(c.downstreamConnection()));
        r.put("connection.requested_server_name",
                c -> DownstreamTlsFacts.requestedServerName(c.downstreamConnection()));
        r.put("connection.tls_version", c -> DownstreamTlsFacts.version(c.downstreamConnection()));
        r.put("connection.uri_san_peer_certificate", c -> DownstreamTlsFacts.peerUriSans(c.downstreamConnection()));
        r.put("connection.uri_san_local_certificate",
                c -> DownstreamTlsFacts.localUriSans(c.downstreamConnection()));
        r.put("connection.subject_peer_certificate", c -> DownstreamTlsFacts.peerSubject(c.downstreamConnection()));
        r.put("connection.termination_details", AccessLogContext::connectionTerminationDetails);
        r.put("upstream.address", AccessLogContext::upstreamHost);
        r.put("upstream.port", c -> c.upstreamHost() == null ? null : hostPort(c.upstreamHost()));
        r.put("upstream.local_address", c -> CommandOperators.address(c.upstreamLocalAddress(), true));
        r.put("upstream.transport_failure_reason", AccessLogContext::upstreamTransportFailureReason);
        r.put("xds.cluster_name", AccessLogContext::upstreamCluster);
        r.put("xds.route_name", AccessLogContext::routeName);
        return Map.copyOf(r);
    }

    /** Headers are looked up by lower-case name, as Envoy's header map ignores case. */
    private static CelMap headers(AccessLogContext c, boolean request) {
        return key -> request ? c.requestHeader(lower(key)) : c.responseHeader(lower(key));
    }

    private static String lower(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    private static String before(String s, char c) {
        if (s == null) {
            return null;
        }
        int i = s.indexOf(c);
        return i < 0 ? s : s.substring(0, i);
    }

    private static String after(String s, char c) {
        if (s == null) {
            return null;
        }
        int i = s.indexOf(c);
        return i < 0 ? "" : s.substring(i + 1);
    }

    private static Object grpcStatus(AccessLogContext c) {
        String status = c.responseTrailer("grpc-status");
        if (status == null) {
            status = c.responseHeader("grpc-status");
        }
        try {
            return status == null ? null : Long.parseLong(status.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long hostPort(String host) {
        int colon = host.lastIndexOf(':');
        try {
            return colon < 0 ? null : Long.parseLong(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code response.flags} is Envoy's bit set (its {@code ResponseFlag} enum), not weft's. */
    static long envoyFlags(int weftFlags) {
        long bits = 0;
        for (ResponseFlag flag : ResponseFlag.values()) {
            if ((weftFlags & flag.bit()) != 0) {
                bits |= envoyBit(flag);
            }
        }
        return bits;
    }

    private static long envoyBit(ResponseFlag flag) {
        return switch (flag) {
            case NO_HEALTHY_UPSTREAM -> 0x2;
            case UPSTREAM_REQUEST_TIMEOUT -> 0x4;
            case LOCAL_RESET -> 0x8;
            case UPSTREAM_REMOTE_RESET -> 0x10;
            case UPSTREAM_CONNECTION_FAILURE -> 0x20;
            case UPSTREAM_CONNECTION_TERMINATION -> 0x40;
            case UPSTREAM_OVERFLOW -> 0x80;
            case NO_ROUTE_FOUND -> 0x100;
            case DELAY_INJECTED -> 0x200;
            case FAULT_INJECTED -> 0x400;
            case RATE_LIMITED -> 0x800;
            case UNAUTHORIZED_EXTERNAL_SERVICE -> 0x1000;
            case DOWNSTREAM_CONNECTION_TERMINATION -> 0x4000;
            case UPSTREAM_RETRY_LIMIT_EXCEEDED -> 0x8000;
            case STREAM_IDLE_TIMEOUT -> 0x10000;
            case DOWNSTREAM_PROTOCOL_ERROR -> 0x40000;
            case DURATION_TIMEOUT -> 0x400000;
            case UPSTREAM_PROTOCOL_ERROR -> 0x800000;
            case NO_CLUSTER_FOUND -> 0x1000000;
            case DNS_RESOLUTION_FAILED -> 0x4000000;
        };
    }
}
