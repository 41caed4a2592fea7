package dev.weft.proxy.tracing;

import dev.weft.proxy.accesslog.AccessLogContext;
import dev.weft.proxy.streaminfo.ResponseFlag;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One connection manager's tracing, as Envoy's with the Zipkin or OpenTelemetry tracer and {@code spawn_upstream_span}
 * off: one span
 * per request, SERVER on an inbound listener or gateway, CLIENT on an outbound one, its context handed upstream in
 * the request headers. The sampling decision is the caller's when it sent one, else Envoy's: {@code client_sampling}
 * for a request with {@code x-client-trace-id}, {@code x-envoy-force-trace}, else {@code random_sampling} on the
 * {@code x-request-id}'s hash (its first 8 hex digits modulo 10000), so every proxy on a request's path decides
 * alike; then {@code overall_sampling} on the same hash. An unsampled request only gets its headers.
 *
 * @param randomSampling the sampling rates in ten-thousandths
 * @param sharedSpanContext whether a SERVER span joins the caller's span (Zipkin's shared span) rather than being its
 *     child
 */
public record HttpTracer(SpanKind kind, LocalNode node, int randomSampling, int clientSampling, int overallSampling,
        int maxPathTagLength, boolean traceId128, boolean sharedSpanContext, List<CustomTag> customTags,
        Propagation propagation, SpanReporter reporter) {

    static final int FULL = 10_000;

    public HttpTracer {
        customTags = List.copyOf(customTags);
    }

    /** Decides, continues or starts the trace, and writes its context into the headers that go upstream. */
    public ActiveSpan start(HttpHeaders headers, RandomGenerator random) {
        TraceContext incoming = TraceHeaders.extract(propagation, headers);
        boolean sampled = incoming != null && incoming.sampled() != null ? incoming.sampled() : decide(headers, random);
        TraceContext context;
        boolean shared = false;
        if (TraceHeaders.hasSpan(incoming)) {
            shared = sharedSpanContext && kind == SpanKind.SERVER;
            context = shared ? incoming
                    : new TraceContext(incoming.traceIdHigh(), incoming.traceIdLow(), nonZero(random),
                            incoming.spanId(), sampled, incoming.debug());
        } else {
            context = new TraceContext(traceId128 ? random.nextLong() : 0, nonZero(random), nonZero(random), 0,
                    sampled, false);
        }
        TraceHeaders.inject(headers, context, sampled, propagation);
        if (!sampled) {
            return null;
        }
        String name = kind == SpanKind.SERVER ? "ingress" : "egress " + headers.get("host", "");
        return new ActiveSpan(context, shared, name);
    }

    private boolean decide(HttpHeaders headers, RandomGenerator random) {
        long hash = requestIdHash(headers.get("x-request-id"), random);
        boolean traced;
        if (headers.contains("x-client-trace-id") && hash % FULL < clientSampling) {
            traced = true;
        } else if (headers.contains("x-envoy-force-trace")) {
            traced = true;
        } else {
            traced = hash % FULL < randomSampling;
        }
        return traced && hash % FULL < overallSampling;
    }

    /** Envoy's UUID request id as a number: its first 8 hex digits; a request id of another form draws at random. */
    private static long requestIdHash(String requestId, RandomGenerator random) {
        if (requestId != null && requestId.length() >= 8 && Hex.isHex(requestId, 0, 8)) {
            return Hex.parse(requestId, 0, 8);
        }
        return random.nextLong(FULL);
    }

    private static long nonZero(RandomGenerator random) {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }

    /** Tags the finished request's span as Envoy does and hands it to the reporter. */
    public void finish(ActiveSpan span, AccessLogContext request) {
        Map<String, String> tags = new TreeMap<>();
        tags.put("component", "proxy");
        tags.put("node_id", node.nodeId());
        tags.put("zone", node.zone());
        String requestId = request.requestHeader("x-request-id");
        if (requestId != null) {
            tags.put("guid:x-request-id", requestId);
        }
        tags.put("http.url", url(request));
        tags.put("http.method", request.requestHeader(":method"));
        tags.put("http.protocol", request.protocol() == null ? "-" : request.protocol());
        tags.put("downstream_cluster", orDash(request.requestHeader("x-envoy-downstream-service-cluster")));
        tags.put("user_agent", orDash(request.requestHeader("user-agent")));
        tags.put("request_size", Long.toString(request.bytesReceived()));
        tags.put("response_size", Long.toString(request.bytesSent()));
        tags.put("http.status_code", Integer.toString(request.responseCode()));
        tags.put("response_flags", ResponseFlag.format(request.responseFlags()));
        if (request.upstreamCluster() != null) {
            tags.put("upstream_cluster", request.upstreamCluster());
            tags.put("upstream_cluster.name", request.upstreamCluster());
        }
        String localIp = null;
        if (request.downstreamConnection() != null) {
            if (request.downstreamConnection().remoteAddress() instanceof InetSocketAddress remote) {
                tags.put("peer.address", remote.getAddress().getHostAddress());
            }
            if (request.downstreamConnection().localAddress() instanceof InetSocketAddress local) {
                localIp = local.getAddress().getHostAddress();
            }
        }
        if (request.responseCode() == 0 || request.responseCode() >= 500) {
            tags.put("error", "true");
        }
        for (CustomTag tag : customTags) {
            String value = tag.valueFor(request);
            if (value != null) {
                tags.put(tag.tag(), value);
            }
        }
        TraceContext c = span.context();
        long startMicros = request.startTime().getEpochSecond() * 1_000_000 + request.startTime().getNano() / 1000;
        reporter.report(new FinishedSpan(c.traceIdHex(), c.spanId(), c.parentId(), kind, span.name(), startMicros,
                request.durationNanos() / 1000, node.serviceName(), localIp, span.shared(), tags));
    }

    /** Envoy's {@code http.url}: scheme, authority and the path before any rewrite, cut at max_path_tag_length. */
    private String url(AccessLogContext request) {
        String scheme = request.requestHeader("x-forwarded-proto");
        String path = request.requestHeader("x-envoy-original-path");
        String url = (scheme == null ? "http" : scheme) + "://" + orEmpty(request.requestHeader(":authority"))
                + orEmpty(path != null ? path : request.requestHeader(":path"));
        return url.length() > maxPathTagLength ? url.substring(0, maxPathTagLength) : url;
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
