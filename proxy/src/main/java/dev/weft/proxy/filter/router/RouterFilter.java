package dev.weft.proxy.filter.router;

import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.router.ClusterSpecifier;
import dev.weft.proxy.router.HashPolicies;
import dev.weft.proxy.router.HeaderMutation;
import dev.weft.proxy.router.MirrorPolicy;
import dev.weft.proxy.router.RequestHeader;
import dev.weft.proxy.router.RetryPolicy;
import dev.weft.proxy.router.Route;
import dev.weft.proxy.router.RouteAction;
import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.streaminfo.ResponseFlag;
import dev.weft.proxy.upstream.ClusterConfig;
import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.UpstreamCluster;
import dev.weft.proxy.upstream.UpstreamFailure;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The terminal filter (Envoy's router): answers direct responses and redirects, or forwards the request to a
 * cluster with a route timeout, retries ({@link RetryState}) and mirroring. Each try is an {@link UpstreamRequest};
 * the request body goes through a {@link RequestBodyBuffer} so a retry can replay it.
 */
final class RouterFilter implements HttpFilter, StreamFilterCallbacks.DownstreamListener {

    /** Envoy's transport failure reason starts so for TLS; the JDK's handshake errors are not OpenSSL's. */
    private static final String TLS_ERROR = "TLS_error";

    private StreamFilterCallbacks exchange;
    private RouteAction.Forward action;
    private UpstreamCluster cluster;
    private RetryState retry;
    private Long hash;
    private HttpRequest upstreamHeaders;
    private boolean upstreamHttp2;
    private HeaderMutation targetResponseHeaders = HeaderMutation.NONE;
    private final RequestBodyBuffer body = new RequestBodyBuffer();
    private int attemptCount;
    private boolean requestCounted;
    private UpstreamRequest current;
    private final Set<Host> triedHosts = new HashSet<>(4);
    private Duration timeout = Duration.ZERO;
    private ScheduledFuture<?> globalTimer;
    private boolean done;
    private long startNanos;
    private final List<Mirror> mirrors = new ArrayList<>(0);
    /** A CONNECT the route terminates: the try is a TCP connection that becomes a tunnel, not a request. */
    private boolean tunnel;

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks ex) {
        this.exchange = ex;
        Route route = ex.route();
        if (route == null) {
            ex.sendLocalReply(404, "", ResponseFlag.NO_ROUTE_FOUND, ResponseCodeDetails.ROUTE_NOT_FOUND);
            return FilterStatus.STOP;
        }
        switch (route.action()) {
            case RouteAction.DirectResponse d -> ex.sendLocalReply(d.status(), d.body(), null,
                    ResponseCodeDetails.DIRECT_RESPONSE);
            case RouteAction.Redirect r -> redirect(route);
            case RouteAction.Forward f -> forward(route, f);
        }
        return FilterStatus.STOP;
    }

    private void redirect(Route route) {
        HttpHeaders h = exchange.request().headers();
        String authority = h.get(HttpHeaderNames.HOST, "");
        String scheme = h.get("x-forwarded-proto", "http");
        String location = route.redirectLocation(exchange.routeRequest(), scheme, authority);
        RouteAction.Redirect r = (RouteAction.Redirect) route.action();
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        exchange.setResponseCodeDetails(ResponseCodeDetails.DIRECT_RESPONSE);
        exchange.sendResponseHeaders(response);
    }

    private void forward(Route route, RouteAction.Forward f) {
        this.action = f;
        HttpHeaders headers = exchange.request().headers();
        String clusterName;
        if (f.clusters() instanceof ClusterSpecifier.Weighted w) {
            ClusterSpecifier.WeightedTarget target = w.pick(exchange.worker().random());
            clusterName = target.cluster();
            target.requestHeaders().apply(headers);
            targetResponseHeaders = target.responseHeaders();
        } else {
            clusterName = f.clusters().choose(headers, exchange.worker().random());
        }
        cluster = clusterName == null ? null : exchange.snapshot().clusters().get(clusterName);
        if (cluster == null) {
            exchange.sendLocalReply(503, "", ResponseFlag.NO_CLUSTER_FOUND, ResponseCodeDetails.CLUSTER_NOT_FOUND);
            return;
        }
        exchange.setUpstreamCluster(clusterName);
        tunnel = HttpMethod.CONNECT.equals(exchange.request().method());
        // CONNECT over HTTP/2 (a stream as the tunnel) is not terminated here: refused, as a route that does not.
        if (tunnel && (!f.terminatesConnect() || exchange.isHttp2())) {
            exchange.sendLocalReply(403, "", null, ResponseCodeDetails.UPGRADE_FAILED);
            return;
        }
        route.requestHeaders().apply(headers);
        exchange.virtualHost().requestHeaders().apply(headers);
        exchange.routeTable().requestHeaders().apply(headers);
        String uri = route.rewritePath(exchange.routeRequest());
        if (!uri.equals(exchange.request().uri())) {
            headers.set("x-envoy-original-path", exchange.request().uri());
        }
        if (f.hostRewrite() != null) {
            headers.set(HttpHeaderNames.HOST, f.hostRewrite());
        }
        retry = new RetryState(f.retryPolicy().overriddenBy(headers.get("x-envoy-retry-on"),
                headers.get("x-envoy-max-retries")), cluster, exchange.worker().random());
        hash = f.hashPolicies().isEmpty() ? null
                : HashPolicies.compute(f.hashPolicies(), exchange.routeRequest(), exchange.remoteAddress());
        ClusterConfig.UpstreamProtocol protocol = cluster.config().protocol();
        upstreamHttp2 = !exchange.isWebSocketUpgrade() && (protocol == ClusterConfig.UpstreamProtocol.HTTP2
                || (protocol == ClusterConfig.UpstreamProtocol.DOWNSTREAM && exchange.isHttp2()));
        upstreamHeaders = new DefaultHttpRequest(HttpVersion.HTTP_1_1, exchange.request().method(), uri, headers);
        if (!upstreamHttp2 && exchange.requestHasBody() && !HttpUtil.isContentLengthSet(upstreamHeaders)) {
            HttpUtil.setTransferEncodingChunked(upstreamHeaders, true);
        }
        if (!cluster.circuitBreakers().tryAcquireRequest()) {
            cluster.overflowed();
            exchange.sendLocalReply(503, "upstream connect error or disconnect/reset before headers. reset reason: overflow",
                    ResponseFlag.UPSTREAM_OVERFLOW, ResponseCodeDetails.resetBeforeResponse("overflow"));
            return;
        }
        requestCounted = true;
        startNanos = exchange.worker().ticker().nanos();
        exchange.setDownstreamListener(this);
        timeout = timeout(headers, f.timeout());
        startMirrors(f.mirrors(), headers, uri);
        exchange.setRequestBodyConsumer(this::onRequestBody);
        startAttempt();
    }

    /** The route timeout, unless the request asks for less with x-envoy-upstream-rq-timeout-ms or grpc-timeout. */
    private static Duration timeout(HttpHeaders headers, Duration routeTimeout) {
        Duration t = routeTimeout;
        String override = headers.get("x-envoy-upstream-rq-timeout-ms");
        if (override != null) {
            try {
                t = Duration.ofMillis(Long.parseLong(override.trim()));
            } catch (NumberFormatException ignored) {
                // A malformed override is ignored, as Envoy does.
            }
            headers.remove("x-envoy-upstream-rq-timeout-ms");
        }
        Duration grpc = GrpcTimeout.parse(headers.get("grpc-timeout"));
        if (grpc != null && (t.isZero() || grpc.compareTo(t) < 0)) {
            t = grpc;
        }
        if (!t.isZero()) {
            headers.set("x-envoy-expected-rq-timeout-ms", Long.toString(t.toMillis()));
        }
        return t;
    }

    private void startMirrors(List<MirrorPolicy> policies, HttpHeaders headers, String uri) {
        for (MirrorPolicy m : policies) {
            if (exchange.worker().random().nextInt(m.denominator()) >= m.numerator()) {
                continue;
            }
            UpstreamCluster target = exchange.snapshot().clusters().get(m.cluster());
            if (target == null) {
                continue;
            }
            HttpHeaders copy = headers.copy();
            String host = copy.get(HttpHeaderNames.HOST, "");
            int colon = host.lastIndexOf(':');
            copy.set(HttpHeaderNames.HOST, colon > 0 ? host.substring(0, colon) + "-shadow" + host.substring(colon)
                    : host + "-shadow");
            HttpRequest shadow = new DefaultHttpRequest(HttpVersion.HTTP_1_1, exchange.request().method(), uri, copy);
            Mirror mirror = Mirror.start(exchange, target, shadow);
            if (mirror != null) {
                mirrors.add(mirror);
            }
        }
    }

    private void onRequestBody(HttpContent content) {
        if (done) {
            ReferenceCountUtil.release(content);
            return;
        }
        if (content instanceof LastHttpContent) {
            onRequestComplete();
        }
        for (Mirror m : mirrors) {
            m.write(content.retainedDuplicate());
        }
        body.add(content);
        if (current != null) {
            current.flushBody();
        }
    }

    /** As in Envoy, the route timeout and the current try's timeout run from the end of the request. */
    private void onRequestComplete() {
        if (!timeout.isZero() && globalTimer == null) {
            globalTimer = exchange.eventLoop().schedule(this::onGlobalTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (current != null) {
            current.armPerTryTimeout();
        }
    }

    StreamFilterCallbacks stream() {
        return exchange;
    }

    RetryState retry() {
        return retry;
    }

    RequestBodyBuffer body() {
        return body;
    }

    HttpRequest upstreamHeaders() {
        return upstreamHeaders;
    }

    private void startAttempt() {
        attemptCount++;
        if (cluster.config().type() == ClusterConfig.DiscoveryType.DYNAMIC_FORWARD_PROXY) {
            // As Envoy's dynamic forward proxy: the authority's name is resolved now, off the event loop.
            cluster.dynamicHost(exchange.request().headers().get(HttpHeaderNames.HOST, ""))
                    .whenComplete((host, error) -> exchange.eventLoop().execute(() -> {
                        if (done) {
                            return;
                        }
                        if (host == null) {
                            fail(503, "DNS resolution failure", ResponseFlag.DNS_RESOLUTION_FAILED,
                                    ResponseCodeDetails.DNS_RESOLUTION_FAILURE);
                        } else {
                            startAttempt(host);
                        }
                    }));
            return;
        }
        Host host;
        if (cluster.config().type() == ClusterConfig.DiscoveryType.ORIGINAL_DST) {
            InetSocketAddress destination = originalDestination();
            host = destination == null ? null : cluster.originalDstHost(destination);
        } else {
            Predicate<Host> previous = retry.policy().previousHosts() ? triedHosts::contains : null;
            host = exchange.worker().upstreams().chooseHost(cluster, hash, previous,
                    retry.policy().hostSelectionMaxAttempts());
        }
        if (host == null) {
            fail(503, "no healthy upstream", ResponseFlag.NO_HEALTHY_UPSTREAM, ResponseCodeDetails.NO_HEALTHY_UPSTREAM);
            return;
        }
        startAttempt(host);
    }

    private void startAttempt(Host host) {
        triedHosts.add(host);
        exchange.setUpstreamHost(host.label());
        if (exchange.virtualHost().includeAttemptCount()) {
            upstreamHeaders.headers().set("x-envoy-attempt-count", attemptCount);
        }
        cluster.requestStarted();
        if (tunnel) {
            openTunnel(host);
            return;
        }
        current = new UpstreamRequest(this, host);
        UpstreamRequest attempt = current;
        attempt.waitingFor(exchange.worker().upstreams().newStream(cluster, host, upstreamHttp2, attempt));
    }

    /**
     * CONNECT termination: a TCP connection to the host, then 200 downstream and bytes both ways (the tunnel outlives
     * the exchange, as a WebSocket's does).
     */
    private void openTunnel(Host host) {
        exchange.worker().upstreams().connect(cluster, host, p -> p.channel().config().setAutoRead(false))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        if (!done) {
                            cluster.recordConnectFailure(host);
                            fail(503, "upstream connect error or disconnect/reset before headers. reset reason: "
                                    + "connection failure", ResponseFlag.UPSTREAM_CONNECTION_FAILURE,
                                    ResponseCodeDetails.resetBeforeResponse(resetReason(UpstreamFailure.CONNECT_FAILURE)));
                        }
                        return;
                    }
                    Channel upstream = (Channel) f.getNow();
                    if (done) {
                        upstream.close();
                        return;
                    }
                    cleanup();
                    exchange.setResponseCodeDetails(ResponseCodeDetails.VIA_UPSTREAM);
                    exchange.upgradeTo(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK), upstream);
                });
    }

    /**
     * For ORIGINAL_DST clusters: the configured header ("ip:port"; a pseudo-header such as :authority reads the
     * request's authority) if the cluster reads one and the request has it, else the connection's original
     * destination. A value that is not an IP literal and port is no destination (Envoy answers 503 UH).
     */
    private InetSocketAddress originalDestination() {
        String header = cluster.config().originalDstHeader();
        String value = header == null ? null : RequestHeader.named(header).first(exchange.routeRequest());
        if (value == null) {
            return exchange.originalDestination();
        }
        InetSocketAddress parsed = ipAndPort(value);
        if (parsed == null) {
            cluster.originalDestinationInvalid();
        }
        return parsed;
    }

    /** "10.0.0.1:80" or "[::1]:80"; null for anything else (a name here would mean a DNS lookup on the event loop). */
    private static InetSocketAddress ipAndPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return null;
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return null;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
        if (ip == null) {
            return null;
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            return port > 0 && port <= 65535 ? new InetSocketAddress(java.net.InetAddress.getByAddress(ip), port) : null;
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    /** Whether another try may start: retries left, the body can be replayed, nothing went downstream yet. */
    private boolean canRetry() {
        return !done && retry.retriesLeft() && body.replayable() && !exchange.responseStarted();
    }

    private boolean retriesOn(int condition) {
        return retry.retriesOn(condition) && canRetry();
    }

    /** Schedules the next try after the back-off; false when the retry budget is spent. */
    private boolean scheduleRetry() {
        long delay = retry.takeRetry();
        if (delay < 0) {
            return false;
        }
        exchange.eventLoop().schedule(() -> {
            if (!done) {
                startAttempt();
            }
        }, delay, TimeUnit.NANOSECONDS);
        return true;
    }

    private void onGlobalTimeout() {
        if (done) {
            return;
        }
        cluster.timedOut();
        if (current != null) {
            current.abandon();
        }
        fail(504, "upstream request timeout", ResponseFlag.UPSTREAM_REQUEST_TIMEOUT, ResponseCodeDetails.RESPONSE_TIMEOUT);
    }

    private void fail(int status, String message, ResponseFlag flag, String details) {
        if (done) {
            return;
        }
        if (retry.retriesUsed() > 0 && flag != ResponseFlag.UPSTREAM_REQUEST_TIMEOUT) {
            exchange.addFlag(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        }
        cleanup();
        exchange.sendLocalReply(status, message, flag, details);
    }

    private void cleanup() {
        if (done) {
            return;
        }
        done = true;
        if (globalTimer != null) {
            globalTimer.cancel(false);
        }
        if (current != null) {
            current.finish();
        }
        if (requestCounted) {
            cluster.circuitBreakers().releaseRequest();
        }
        retry.release();
        body.release();
        for (Mirror m : mirrors) {
            m.requestBodyDone();
        }
    }

    @Override
    public void onComplete(StreamFilterCallbacks ex) {
        if (!done && action != null) {
            if (current != null) {
                current.abandon();
            }
            cleanup();
        }
    }

    @Override
    public void onDownstreamWritable(boolean writable) {
        if (current != null && current.stream() != null) {
            current.stream().setReading(writable);
        }
    }

    @Override
    public void onDownstreamReset() {
        if (current != null) {
            current.abandon();
        }
        cleanup();
    }

    /** A try failed before or while responding: retry it if the policy allows, else answer or reset. */
    void onUpstreamFailure(UpstreamRequest failed, UpstreamFailure failure) {
        if (failed.responding()) {
            exchange.addFlag(ResponseFlag.UPSTREAM_CONNECTION_TERMINATION);
            exchange.setResponseCodeDetails(ResponseCodeDetails.resetAfterResponse(resetReason(failure)));
            cleanup();
            exchange.resetDownstream();
            return;
        }
        switch (failure) {
            case OVERFLOW -> {
                fail(503, "upstream connect error or disconnect/reset before headers. reset reason: overflow",
                        ResponseFlag.UPSTREAM_OVERFLOW, ResponseCodeDetails.resetBeforeResponse("overflow"));
                return;
            }
            case CONNECT_FAILURE, TLS_FAILURE -> {
                if ((retriesOn(RetryPolicy.CONNECT_FAILURE) || retriesOn(RetryPolicy.RESET)
                        || retriesOn(RetryPolicy.RESET_BEFORE_REQUEST)) && scheduleRetry()) {
                    return;
                }
                if (failure == UpstreamFailure.TLS_FAILURE) {
                    exchange.setUpstreamTransportFailureReason(TLS_ERROR);
                }
                fail(503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure"
                        + (failure == UpstreamFailure.TLS_FAILURE ? ", transport failure reason: TLS error" : ""),
                        ResponseFlag.UPSTREAM_CONNECTION_FAILURE,
                        ResponseCodeDetails.resetBeforeResponse(resetReason(failure)));
                return;
            }
            case REFUSED_STREAM -> {
                if ((retriesOn(RetryPolicy.REFUSED_STREAM) || retriesOn(RetryPolicy.RESET)) && scheduleRetry()) {
                    return;
                }
            }
            default -> {
                if (retriesOn(RetryPolicy.RESET) && scheduleRetry()) {
                    return;
                }
            }
        }
        cluster.recordConnectFailure(failed.host());
        // Envoy answers a malformed upstream response 502 UPE, any other reset before the response 503.
        boolean protocolError = failure == UpstreamFailure.PROTOCOL_ERROR;
        fail(protocolError ? 502 : 503, "upstream connect error or disconnect/reset before headers. reset reason: "
                        + resetReason(failure).replace('_', ' '),
                switch (failure) {
                    case CONNECTION_TERMINATION -> ResponseFlag.UPSTREAM_CONNECTION_TERMINATION;
                    case PROTOCOL_ERROR -> ResponseFlag.UPSTREAM_PROTOCOL_ERROR;
                    default -> ResponseFlag.UPSTREAM_REMOTE_RESET;
                },
                ResponseCodeDetails.resetBeforeResponse(resetReason(failure)));
    }

    /** Envoy's reset reason words, as its response code details carry them. */
    private static String resetReason(UpstreamFailure failure) {
        return switch (failure) {
            case CONNECT_FAILURE -> "remote_connection_failure";
            case TLS_FAILURE -> "remote_connection_failure|" + TLS_ERROR;
            case OVERFLOW -> "overflow";
            case CONNECTION_TERMINATION -> "connection_termination";
            case REMOTE_RESET -> "remote_reset";
            case REFUSED_STREAM -> "remote_refused_stream_reset";
            case PROTOCOL_ERROR -> "protocol_error";
        };
    }

    void onPerTryTimeout(UpstreamRequest timedOut) {
        cluster.timedOut();
        timedOut.abandon();
        if (canRetry() && scheduleRetry()) {
            return;
        }
        fail(504, "upstream request timeout", ResponseFlag.UPSTREAM_REQUEST_TIMEOUT,
                ResponseCodeDetails.UPSTREAM_PER_TRY_TIMEOUT);
    }

    void onUpstreamHeaders(UpstreamRequest from, HttpResponse response) {
        int status = response.status().code();
        if (status >= 100 && status < 200 && status != 101) {
            ReferenceCountUtil.release(response);
            return;
        }
        cluster.recordResponse(from.host(), status);
        if (status == 101 && exchange.isWebSocketUpgrade() && from.stream() != null) {
            Channel tunnel = from.stream().detach();
            if (tunnel != null) {
                from.markResponding();
                decorate(response);
                from.finish();
                cleanup();
                exchange.setResponseCodeDetails(ResponseCodeDetails.VIA_UPSTREAM);
                exchange.upgradeTo(response, tunnel);
                return;
            }
        }
        int grpcStatus = grpcStatus(response);
        boolean overloaded = response.headers().contains("x-envoy-overloaded");
        RetryPolicy policy = retry.policy();
        if (!overloaded && policy.retriesResponse(status, grpcStatus) && canRetry()) {
            from.abandon();
            if (scheduleRetry()) {
                ReferenceCountUtil.release(response);
                return;
            }
            responseAfterAbandon(response);
            return;
        }
        if (retry.retriesUsed() > 0 && policy.retriesResponse(status, grpcStatus)) {
            exchange.addFlag(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        }
        from.markResponding();
        decorate(response);
        if (response instanceof LastHttpContent) {
            recordRequestTime();
            from.finish();
            cleanup();
        }
        exchange.setResponseCodeDetails(ResponseCodeDetails.VIA_UPSTREAM);
        exchange.sendResponseHeaders(response);
    }

    void onUpstreamData(UpstreamRequest from, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (last) {
            recordRequestTime();
            from.finish();
            cleanup();
        }
        exchange.sendResponseContent(content);
        if (!last && !exchange.downstreamWritable() && from.stream() != null) {
            from.stream().setReading(false);
        }
    }

    /** The retry budget ran out after the try was abandoned: pass on its headers as the final answer. */
    private void responseAfterAbandon(HttpResponse response) {
        DefaultFullHttpResponse full = new DefaultFullHttpResponse(response.protocolVersion(), response.status(),
                Unpooled.EMPTY_BUFFER, response.headers(), EmptyHttpHeaders.INSTANCE);
        full.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        ReferenceCountUtil.release(response);
        decorate(full);
        cleanup();
        exchange.setResponseCodeDetails(ResponseCodeDetails.VIA_UPSTREAM);
        exchange.sendResponseHeaders(full);
    }

    /** upstream_rq_time: from the router's first try to the last byte of the answer. */
    private void recordRequestTime() {
        cluster.recordRequestTime((exchange.worker().ticker().nanos() - startNanos) / 1_000_000);
    }

    private void decorate(HttpResponse response) {
        long millis = (exchange.worker().ticker().nanos() - startNanos) / 1_000_000;
        response.headers().set("x-envoy-upstream-service-time", millis);
        targetResponseHeaders.apply(response.headers());
    }

    private static int grpcStatus(HttpResponse response) {
        String s = response.headers().get("grpc-status");
        if (s == null) {
            return -1;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
