package dev.weft.controlplane.debug;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * weftd's HTTP API on Netty. Reading is event-driven, so a client that sends half a request, or nothing, holds no
 * thread: only a complete request reaches the routes. Limits apply while reading: the request line and headers
 * ({@link Limits#maxHeaderBytes}, else 431), the body ({@link Limits#maxBodyBytes}, else 413, without reading the
 * rest), and time ({@link Limits#requestTimeout}: a connection must deliver a whole request within it of opening or
 * of its previous answer, else it is answered 408 and closed). {@code /ready} and {@code /metrics} (counters read
 * from memory) answer on the event loop; other routes run on {@code workers}, so a slow apply never delays readiness
 * or a scrape.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
    private static final Set<String> ON_EVENT_LOOP = Set.of("/ready", "/metrics");

    /** Bounds on what one connection may send and how long it may take. */
    public record Limits(Duration requestTimeout, int maxHeaderBytes, int maxBodyBytes) {

        /** Kubernetes' API server takes request bodies of at most 3 MiB; weftd's apply does the same. */
        public static final int KUBERNETES_BODY_LIMIT = 3 * 1024 * 1024;
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 16 * 1024, KUBERNETES_BODY_LIMIT);
    }

    private final EventLoopGroup loop;
    private final Channel channel;
    private final ObjectMapper json = new ObjectMapper();

    public ApiServer(InetSocketAddress address, Function<ApiRequest, ApiResponse> routes, ExecutorService workers,
            Limits limits) throws IOException {
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weftd-http-io", true),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(limits.maxHeaderBytes(), limits.maxHeaderBytes(), 64 * 1024),
                                new BodyLimit(limits.maxBodyBytes()),
                                new RequestDeadline(limits.requestTimeout()),
                                new Dispatcher(routes, workers));
                    }
                });
        try {
            channel = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            // Netty rethrows a BindException unchecked.
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void send(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
        byte[] body;
        CharSequence contentType = answer.text().<CharSequence>map(ApiResponse.Text::contentType)
                .orElse(HttpHeaderValues.APPLICATION_JSON);
        if (answer.text().isPresent()) {
            body = answer.text().get().content().getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                body = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(answer.body());
            } catch (IOException e) {
                body = ("{\"error\": \"cannot write the answer\"}").getBytes(StandardCharsets.UTF_8);
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Collects a request's body up to the limit; a larger one is answered 413 with the limit, on its Content-Length
     * alone when it has one, and the connection closed (the rest is never read).
     */
    private final class BodyLimit extends HttpObjectAggregator {

        BodyLimit(int maxBodyBytes) {
            super(maxBodyBytes);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            send(ctx, ApiResponse.error(413, "request body too large: the limit is " + maxContentLength()
                    + " bytes (as Kubernetes' API server); apply fewer resources at a time"), false);
        }
    }

    /** Closes a connection that does not deliver a whole request in time; re-armed after every answer. */
    private final class RequestDeadline extends ChannelDuplexHandler {

        private final Duration timeout;
        private ScheduledFuture<?> deadline;

        RequestDeadline(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            arm(ctx);
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            disarm();
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            super.write(ctx, msg, promise);
            promise.addListener(done -> {
                if (ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disarm();
            super.channelInactive(ctx);
        }

        private void arm(ChannelHandlerContext ctx) {
            disarm();
            deadline = ctx.executor().schedule(() -> send(ctx, ApiResponse.error(408,
                    "no complete request within " + timeout.toSeconds() + " s"), false),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void disarm() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }
    }

    /** Turns a complete request into an {@link ApiRequest}, runs its route, and answers; a failure is a 500. */
    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final Function<ApiRequest, ApiResponse> routes;
        private final ExecutorService workers;

        Dispatcher(Function<ApiRequest, ApiResponse> routes, ExecutorService workers) {
            this.routes = routes;
            this.workers = workers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                boolean tooLong = cause instanceof io.netty.handler.codec.TooLongFrameException;
                send(ctx, ApiResponse.error(tooLong ? 431 : 400, tooLong
                        ? "request line or headers longer than the limit" : "malformed request"), false);
                return;
            }
            ApiRequest api = toApiRequest(request);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (ON_EVENT_LOOP.contains(api.path())) {
                send(ctx, answer(api), keepAlive);
                return;
            }
            try {
                workers.execute(() -> send(ctx, answer(api), keepAlive));
            } catch (RejectedExecutionException e) {
                send(ctx, ApiResponse.error(503, "weftd is stopping"), false);
            }
        }

        private ApiResponse answer(ApiRequest request) {
            try {
                return routes.apply(request);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "HTTP " + request.method() + " " + request.path() + " failed", e);
                return ApiResponse.error(500, String.valueOf(e.getMessage()));
            }
        }

        private ApiRequest toApiRequest(FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            Map<String, String> headers = new HashMap<>();
            request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT),
                    h.getValue()));
            return new ApiRequest(request.method().name(), uri.path(), uri.parameters(), headers,
                    request.content().toString(StandardCharsets.UTF_8));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
