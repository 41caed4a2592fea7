package dev.weft.proxy.http;

import dev.weft.proxy.accesslog.AccessLogContext;
import dev.weft.proxy.accesslog.AccessLogger;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.router.Route;
import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.VirtualHost;
import dev.weft.proxy.runtime.RuntimeFlags;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.streaminfo.ConnectionTermination;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.streaminfo.ResponseFlag;
import dev.weft.proxy.tls.PeerCertificates;
import dev.weft.proxy.tracing.ActiveSpan;
import dev.weft.proxy.transport.OriginalDestination;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request and its response on the downstream side: headers, filter chain, body streaming in both directions,
 * timeouts, local replies, and the access log line. Lives on one event loop; nothing here is shared.
 */
public final class HttpExchange implements StreamFilterCallbacks {

    /** Request body held while no consumer is attached yet; past this, reading from the client pauses. */
    private static final int MAX_PENDING_BODY_BYTES = 1 << 20;
    /** An answered request's unread body up to this length is read and dropped, so the connection stays usable. */
    private static final long MAX_DRAINED_BODY_BYTES = 64 * 1024;
    /** Beyond Envoy, when runtime {@code weft.debug.denial_header} is true: why an authorization filter denied. */
    static final String DENIED_BY = "x-weft-denied-by";

    private final Downstream downstream;
    private final HttpConnectionManagerConfig config;
    private final WorkerContext worker;
    private final ProxySnapshot snapshot;
    private final HttpRequest request;
    private final RouteRequest routeRequest;
    private final boolean http2;
    private final boolean keepAlive;
    private final long startNanos;
    private final Instant startTime;
    private FilterManager filterManager;
    private final String originalPath;
    private final String protocol;
    private final boolean requestHasBody;
    private final boolean websocketUpgrade;
    private RouteTable routeTable;
    private VirtualHost virtualHost;
    private Route route;
    private int flags;
    private long bytesReceived;
    /** gRPC messages each way, counted for Istio's metrics; null unless the request is gRPC. */
    private GrpcMessageCounter grpcRequestMessages;
    private GrpcMessageCounter grpcResponseMessages;
    private long bytesSent;
    private int responseStatus;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean requestComplete;
    private boolean finished;
    private boolean closeAfterResponse;
    private String upstreamHost;
    private String upstreamCluster;
    private SocketAddress upstreamLocalAddress;
    private String upstreamTransportFailureReason;
    private String responseCodeDetails;
    private boolean denial;
    private HttpHeaders responseHeaders;
    private HttpHeaders responseTrailers;
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
    private final DynamicMetadata dynamicMetadata = new DynamicMetadata();
    private int pendingBytes;
    private Consumer<HttpContent> bodyConsumer;
    private int peekBytes;
    private Consumer<ByteBuf> bodyPeeker;
    private DownstreamListener listener;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> requestTimer;
    private long lastActivityNanos;
    private ActiveSpan span;

    HttpExchange(Downstream downstream, HttpConnectionManagerConfig config, WorkerContext worker,
            HttpRequest request, boolean http2) {
        this.downstream = downstream;
        this.config = config;
        this.worker = worker;
        this.snapshot = worker.snapshots().get();
        this.request = request;
        this.http2 = http2;
        this.keepAlive = http2 || HttpUtil.isKeepAlive(request);
        this.startNanos = worker.ticker().nanos();
        this.lastActivityNanos = startNanos;
        this.startTime = worker.clock().instant();
        this.protocol = http2 ? "HTTP/2" : request.protocolVersion().text();
        this.originalPath = request.uri();
        String clientScheme = http2 ? request.headers().get(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text()) : null;
        this.requestHasBody = http2 ? !(request instanceof FullHttpRequest)
                : HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        this.websocketUpgrade = !http2 && config.websocketUpgrade()
                && "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
        // :scheme is what an HTTP/2 client sent, else the transport's, as in Envoy.
        this.routeRequest = new RouteRequest(request.method().name(), request.uri(), request.headers(),
                clientScheme != null ? clientScheme : transportScheme());
    }

    void start() {
        config.stats().requests.increment();
        config.stats().active.increment();
        RequestHeaderChecks.Rejection rejection = RequestHeaderChecks.check(request, http2, config.protocol(),
                config.stats());
        if (rejection != null) {
            reject(rejection);
            return;
        }
        if (!http2 && HttpMethod.CONNECT.equals(request.method()) && !config.connectUpgrade()) {
            closeAfterResponse = true;
            sendLocalReply(403, "", null, ResponseCodeDetails.UPGRADE_FAILED);
            return;
        }
        HopByHopHeaders.stripRequest(request.headers(), http2);
        if (websocketUpgrade) {
            request.headers().set(HttpHeaderNames.CONNECTION, "upgrade");
            request.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        }
        decorateRequest();
        if (LocalReply.isGrpc(request)) {
            grpcRequestMessages = new GrpcMessageCounter();
            grpcResponseMessages = new GrpcMessageCounter();
        }
        if (config.tracer() != null) {
            span = config.tracer().start(request.headers(), worker.random());
        }
        routeTable = config.inlineRoutes() != null ? config.inlineRoutes() : snapshot.routes().get(config.rdsName());
        if (routeTable != null) {
            virtualHost = routeTable.virtualHost(request.headers().get(HttpHeaderNames.HOST));
            route = virtualHost == null ? null : virtualHost.match(routeRequest);
        }
        filterManager = new FilterManager(config.filters(), route, virtualHost, this);
        armTimers();
        resume();
    }

    /** Answers a request whose headers failed the connection manager's checks; its HTTP/1 connection closes. */
    private void reject(RequestHeaderChecks.Rejection rejection) {
        closeAfterResponse = true;
        if (rejection.status() != 426) {
            config.stats().protocolErrors.increment();
            addFlag(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
        }
        sendLocalReply(rejection.status(), "", null, rejection.details());
    }

    private void decorateRequest() {
        HttpHeaders h = request.headers();
        InetSocketAddress remote = remoteAddress();
        // At the edge (use_remote_address) a request from outside the private ranges gets a fresh id, as in Envoy.
        boolean external = config.useRemoteAddress() && remote != null
                && !remote.getAddress().isLoopbackAddress() && !remote.getAddress().isSiteLocalAddress();
        if (config.generateRequestId()
                && (!h.contains("x-request-id") || (external && !config.preserveExternalRequestId()))) {
            h.set("x-request-id", newRequestId());
        }
        if (config.useRemoteAddress()) {
            if (remote != null) {
                String ip = remote.getAddress().getHostAddress();
                String xff = h.get("x-forwarded-for");
                h.set("x-forwarded-for", xff == null || xff.isEmpty() ? ip : xff + ", " + ip);
            }
            h.set("x-forwarded-proto", transportScheme());
        } else if (!h.contains("x-forwarded-proto")) {
            h.set("x-forwarded-proto", transportScheme());
        }
        config.forwardClientCert().apply(h, downstream.connection());
    }

    private String newRequestId() {
        long hi = (worker.random().nextLong() & ~0xF000L) | 0x4000L;
        long lo = (worker.random().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private void armTimers() {
        long idle = config.streamIdleTimeout().toNanos();
        if (idle > 0) {
            idleTimer = eventLoop().schedule(this::checkIdle, idle, TimeUnit.NANOSECONDS);
        }
        long total = config.requestTimeout().toNanos();
        if (total > 0) {
            requestTimer = eventLoop().schedule(() -> {
                if (!requestComplete && !finished) {
                    sendLocalReply(408, "request timeout", null, ResponseCodeDetails.REQUEST_OVERALL_TIMEOUT);
                }
            }, total, TimeUnit.NANOSECONDS);
        }
    }

    private void checkIdle() {
        if (finished) {
            return;
        }
        long idle = config.streamIdleTimeout().toNanos();
        long quiet = worker.ticker().nanos() - lastActivityNanos;
        if (quiet < idle) {
            idleTimer = eventLoop().schedule(this::checkIdle, idle - quiet, TimeUnit.NANOSECONDS);
            return;
        }
        config.stats().idleTimeouts.increment();
        addFlag(ResponseFlag.STREAM_IDLE_TIMEOUT);
        sendLocalReply(408, "stream timeout", null, ResponseCodeDetails.STREAM_IDLE_TIMEOUT);
    }

    /** Runs the next filters until one stops or the chain ends. Filters that stopped call this to go on. */
    @Override
    public void resume() {
        if (filterManager.decodeHeaders(() -> finished || responseStarted)) {
            // Envoy answers 404 when no terminal filter handled the request.
            addFlag(ResponseFlag.NO_ROUTE_FOUND);
            sendLocalReply(404, "", null, ResponseCodeDetails.ROUTE_NOT_FOUND);
        }
    }

    void onRequestContent(HttpContent content) {
        lastActivityNanos = worker.ticker().nanos();
        bytesReceived += content.content().readableBytes();
        if (grpcRequestMessages != null) {
            grpcRequestMessages.accept(content.content());
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
            cancel(requestTimer);
        }
        if (finished || responseComplete) {
            ReferenceCountUtil.release(content);
            if (last && responseComplete) {
                finish();
            }
            return;
        }
        if (bodyConsumer != null) {
            bodyConsumer.accept(content);
            return;
        }
        pendingBody.add(content);
        pendingBytes += content.content().readableBytes();
        if (pendingBytes > MAX_PENDING_BODY_BYTES) {
            pauseRequestBody();
        }
        offerPeek();
    }

    @Override
    public void peekRequestBody(int maxBytes, Consumer<ByteBuf> ready) {
        peekBytes = Math.min(maxBytes, MAX_PENDING_BODY_BYTES);
        bodyPeeker = ready;
        offerPeek();
    }

    /** Hands the body's first bytes to a filter waiting for them, once there are enough or the body ended. */
    private void offerPeek() {
        if (bodyPeeker == null || (pendingBytes < peekBytes && requestHasBody && !requestComplete)) {
            return;
        }
        Consumer<ByteBuf> ready = bodyPeeker;
        bodyPeeker = null;
        ByteBuf copy = Unpooled.buffer(Math.min(pendingBytes, peekBytes));
        for (HttpContent c : pendingBody) {
            ByteBuf b = c.content();
            copy.writeBytes(b, b.readerIndex(), Math.min(b.readableBytes(), copy.writableBytes()));
        }
        ready.accept(copy);
    }

    /** Attaches the consumer of the request body; content that already arrived is delivered first. */
    @Override
    public void setRequestBodyConsumer(Consumer<HttpContent> consumer) {
        this.bodyConsumer = consumer;
        HttpContent c;
        while ((c = pendingBody.poll()) != null) {
            consumer.accept(c);
        }
        pendingBytes = 0;
        resumeRequestBody();
    }

    @Override
    public void pauseRequestBody() {
        downstream.setReading(false);
    }

    @Override
    public void resumeRequestBody() {
        downstream.setReading(true);
    }

    @Override
    public void setDownstreamListener(DownstreamListener l) {
        this.listener = l;
    }

    @Override
    public boolean downstreamWritable() {
        return downstream.isWritable();
    }

    void onWritabilityChanged(boolean writable) {
        if (listener != null) {
            listener.onDownstreamWritable(writable);
        }
    }

    void onDownstreamReset() {
        if (finished) {
            return;
        }
        if (!responseComplete) {
            addFlag(ResponseFlag.DOWNSTREAM_CONNECTION_TERMINATION);
            if (!hasFlag(ResponseFlag.LOCAL_RESET)) {
                responseCodeDetails = ResponseCodeDetails.DOWNSTREAM_REMOTE_DISCONNECT;
            }
        }
        DownstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onDownstreamReset();
        }
        complete();
        finished = true;
    }

    /** Sends response headers downstream after header mutations and filters' response hooks. */
    @Override
    public void sendResponseHeaders(HttpResponse response) {
        if (finished || responseStarted) {
            ReferenceCountUtil.release(response);
            return;
        }
        lastActivityNanos = worker.ticker().nanos();
        responseStarted = true;
        responseStatus = response.status().code();
        HttpHeaders h = response.headers();
        HopByHopHeaders.stripResponse(h);
        if (route != null) {
            route.responseHeaders().apply(h);
        }
        if (virtualHost != null) {
            virtualHost.responseHeaders().apply(h);
        }
        if (routeTable != null) {
            routeTable.responseHeaders().apply(h);
        }
        if (filterManager != null) {
            filterManager.encodeHeaders(response);
        }
        switch (config.serverHeader()) {
            case OVERWRITE -> h.set(HttpHeaderNames.SERVER, config.serverName());
            case APPEND_IF_ABSENT -> {
                if (!h.contains(HttpHeaderNames.SERVER)) {
                    h.set(HttpHeaderNames.SERVER, config.serverName());
                }
            }
            case PASS_THROUGH -> {
            }
        }
        if (denial && responseCodeDetails != null && worker.runtime().enabled(RuntimeFlags.DENIAL_HEADER, false)) {
            h.set(DENIED_BY, responseCodeDetails);
        }
        responseHeaders = h;
        boolean last = response instanceof LastHttpContent;
        if (last) {
            ByteBuf body = ((LastHttpContent) response).content();
            bytesSent += body.readableBytes();
            if (grpcResponseMessages != null) {
                grpcResponseMessages.accept(body);
            }
            responseTrailers = ((LastHttpContent) response).trailingHeaders();
        }
        if (!requestComplete && !bodyRestIsDrainable()) {
            // The rest of the request body is too long to read and discard, or of unknown length: the connection
            // ends with this response (HTTP/1), and the client must be told.
            closeAfterResponse = true;
        }
        closeAfterResponse = downstream.sendHeaders(response, !keepAlive || closeAfterResponse);
        if (last) {
            onResponseComplete();
        }
    }

    /** Whether what is left of the request body is known and short enough to read and discard after the response. */
    private boolean bodyRestIsDrainable() {
        if (!requestHasBody) {
            return true;
        }
        long length = HttpUtil.getContentLength(request, -1L);
        return length >= 0 && length - bytesReceived <= MAX_DRAINED_BODY_BYTES;
    }

    /** Sends a body chunk downstream; a {@link LastHttpContent} ends the response (and may carry trailers). */
    @Override
    public void sendResponseContent(HttpContent content) {
        if (finished || !responseStarted || responseComplete) {
            ReferenceCountUtil.release(content);
            return;
        }
        lastActivityNanos = worker.ticker().nanos();
        bytesSent += content.content().readableBytes();
        if (grpcResponseMessages != null) {
            grpcResponseMessages.accept(content.content());
        }
        if (content instanceof LastHttpContent last) {
            responseTrailers = last.trailingHeaders();
        }
        downstream.send(content);
        if (content instanceof LastHttpContent) {
            onResponseComplete();
        }
    }

    /** Answers locally, or resets the stream when response headers already went out. */
    @Override
    public void sendLocalReply(int status, String body, ResponseFlag flag, String details) {
        if (flag != null) {
            addFlag(flag);
        }
        if (finished) {
            return;
        }
        responseCodeDetails = details;
        if (responseStarted) {
            resetDownstream();
            return;
        }
        sendResponseHeaders(LocalReply.to(request, status, body, flags));
    }

    /** Whether this is a WebSocket upgrade request the connection manager allows. */
    @Override
    public boolean isWebSocketUpgrade() {
        return websocketUpgrade;
    }

    /**
     * Completes a WebSocket upgrade (the upstream's 101) or a terminated CONNECT (a 200 of our own): sends the
     * response downstream, then turns both connections into a byte tunnel. The upstream channel must have no HTTP
     * handlers left.
     */
    @Override
    public void upgradeTo(HttpResponse switching, Channel upstream) {
        if (finished) {
            ReferenceCountUtil.release(switching);
            upstream.close();
            return;
        }
        responseStarted = true;
        responseStatus = switching.status().code();
        downstream.upgrade(switching, upstream);
        responseComplete = true;
        complete();
        finished = true;
    }

    /** Answers a gRPC request locally: HTTP 200 with the given grpc-status, trailers-only. */
    @Override
    public void sendGrpcLocalReply(int grpcStatus, String message, ResponseFlag flag, String details) {
        if (flag != null) {
            addFlag(flag);
        }
        if (finished || responseStarted) {
            resetDownstream();
            return;
        }
        responseCodeDetails = details;
        sendResponseHeaders(LocalReply.grpc(Integer.toString(grpcStatus), message));
    }

    /** Aborts the downstream stream: closes an HTTP/1 connection or resets an HTTP/2 stream. */
    @Override
    public void resetDownstream() {
        if (finished) {
            return;
        }
        addFlag(ResponseFlag.LOCAL_RESET);
        downstream.reset();
        onDownstreamReset();
    }

    private void onResponseComplete() {
        responseComplete = true;
        if (requestComplete || http2) {
            finish();
        } else if (closeAfterResponse) {
            // The client is still sending a body nobody will read: finish and close rather than drain it.
            finishAndClose();
        }
        // Otherwise the rest of the request is on its way (at least the codec's empty last chunk) and its end
        // finishes the exchange, keeping the connection.
    }

    private void finish() {
        if (finished) {
            return;
        }
        complete();
        finished = true;
        downstream.exchangeDone(this, keepAlive && !closeAfterResponse);
    }

    private void finishAndClose() {
        if (finished) {
            return;
        }
        complete();
        finished = true;
        downstream.exchangeDone(this, false);
    }

    private void complete() {
        cancel(idleTimer);
        cancel(requestTimer);
        HttpContent c;
        while ((c = pendingBody.poll()) != null) {
            ReferenceCountUtil.release(c);
        }
        config.stats().active.decrement();
        config.stats().recordResponse(responseStatus);
        config.stats().requestTime.record((worker.ticker().nanos() - startNanos) / 1_000_000);
        boolean filtersLog = filterManager != null && filterManager.logs();
        LogView view = filtersLog || !config.accessLogs().isEmpty() || span != null ? new LogView() : null;
        if (filterManager != null) {
            config.stats().handlerErrors.add(filterManager.onComplete());
        }
        if (filtersLog) {
            config.stats().handlerErrors.add(filterManager.onLog(view));
        }
        if (!config.accessLogs().isEmpty() || span != null) {
            for (AccessLogger log : config.accessLogs()) {
                log.log(view);
            }
            if (span != null) {
                config.tracer().finish(span, view);
            }
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void addFlag(ResponseFlag flag) {
        flags |= flag.bit();
    }

    public boolean hasFlag(ResponseFlag flag) {
        return (flags & flag.bit()) != 0;
    }

    @Override
    public void setUpstreamHost(String host) {
        this.upstreamHost = host;
    }

    @Override
    public void setUpstreamCluster(String cluster) {
        this.upstreamCluster = cluster;
    }

    @Override
    public void setUpstreamLocalAddress(SocketAddress address) {
        this.upstreamLocalAddress = address;
    }

    @Override
    public void setUpstreamTransportFailureReason(String reason) {
        this.upstreamTransportFailureReason = reason;
    }

    @Override
    public void setResponseCodeDetails(String details) {
        this.responseCodeDetails = details;
    }

    @Override
    public void markDenial() {
        this.denial = true;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public RouteRequest routeRequest() {
        return routeRequest;
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public VirtualHost virtualHost() {
        return virtualHost;
    }

    @Override
    public RouteTable routeTable() {
        return routeTable;
    }

    @Override
    public ProxySnapshot snapshot() {
        return snapshot;
    }

    @Override
    public WorkerContext worker() {
        return worker;
    }

    @Override
    public EventLoop eventLoop() {
        return downstream.connection().eventLoop();
    }

    @Override
    public boolean isHttp2() {
        return http2;
    }

    /** Whether the request carries a body (chunked, a content length, or an HTTP/2 stream left open). */
    @Override
    public boolean requestHasBody() {
        return requestHasBody;
    }

    @Override
    public boolean requestComplete() {
        return requestComplete;
    }

    @Override
    public boolean responseStarted() {
        return responseStarted;
    }

    public boolean finished() {
        return finished;
    }

    /** The connection's destination before redirection, when its listener uses the original destination. */
    @Override
    public InetSocketAddress originalDestination() {
        return downstream.connection().attr(OriginalDestination.ATTRIBUTE).get();
    }

    /** "https" when the downstream connection terminated TLS. */
    private String transportScheme() {
        return downstream.connection().pipeline().get(SslHandler.class) != null ? "https" : "http";
    }

    @Override
    public InetSocketAddress destinationAddress() {
        return OriginalDestination.destination(downstream.connection());
    }

    @Override
    public String peerPrincipal() {
        return PeerCertificates.principal(downstream.connection());
    }

    @Override
    public String requestedServerName() {
        return PeerCertificates.requestedServerName(downstream.connection().pipeline().get(SslHandler.class));
    }

    @Override
    public DynamicMetadata dynamicMetadata() {
        return dynamicMetadata;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return downstream.connection().remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    /** The finished exchange as its access log reads it. */
    private final class LogView implements AccessLogContext {

        @Override
        public Instant startTime() {
            return startTime;
        }

        @Override
        public long durationNanos() {
            return worker.ticker().nanos() - startNanos;
        }

        @Override
        public String requestHeader(String name) {
            return switch (name) {
                case ":method" -> request.method().name();
                case ":path" -> originalPath;
                case ":authority" -> request.headers().get(HttpHeaderNames.HOST);
                case ":scheme" -> routeRequest.scheme();
                default -> request.headers().get(name);
            };
        }

        @Override
        public String responseHeader(String name) {
            return responseHeaders == null ? null : responseHeaders.get(name);
        }

        @Override
        public String responseTrailer(String name) {
            return responseTrailers == null ? null : responseTrailers.get(name);
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public int responseCode() {
            return responseStatus;
        }

        @Override
        public String responseCodeDetails() {
            return responseCodeDetails;
        }

        @Override
        public String connectionTerminationDetails() {
            return ConnectionTermination.of(downstream.connection());
        }

        @Override
        public String upstreamTransportFailureReason() {
            return upstreamTransportFailureReason;
        }

        @Override
        public int responseFlags() {
            return flags;
        }

        @Override
        public long bytesReceived() {
            return bytesReceived;
        }

        @Override
        public long bytesSent() {
            return bytesSent;
        }

        @Override
        public String upstreamHost() {
            return upstreamHost;
        }

        @Override
        public String upstreamCluster() {
            return upstreamCluster;
        }

        @Override
        public boolean isGrpc() {
            return grpcRequestMessages != null;
        }

        @Override
        public long grpcRequestMessages() {
            return grpcRequestMessages == null ? 0 : grpcRequestMessages.messages();
        }

        @Override
        public long grpcResponseMessages() {
            return grpcResponseMessages == null ? 0 : grpcResponseMessages.messages();
        }

        @Override
        public SocketAddress upstreamLocalAddress() {
            return upstreamLocalAddress;
        }

        @Override
        public String routeName() {
            return route == null || route.name().isEmpty() ? null : route.name();
        }

        @Override
        public Channel downstreamConnection() {
            return downstream.connection();
        }

        @Override
        public DynamicMetadata dynamicMetadata() {
            return dynamicMetadata;
        }
    }
}
