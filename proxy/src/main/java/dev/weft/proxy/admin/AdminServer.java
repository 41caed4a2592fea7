package dev.weft.proxy.admin;

import dev.weft.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin HTTP server (Envoy's admin interface), apart from the data plane: its own event loop accepts and
 * reads (requests are small, so they are aggregated), and one admin thread runs the handlers in turn, as Envoy's
 * main thread does. A slow or blocking endpoint ({@code /config_dump}, {@code /stats/prometheus},
 * {@code /drain_listeners}) so holds up neither traffic nor the admin event loop.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());

    private final EventLoopGroup loop;
    private final ExecutorService handlers;
    private final Channel channel;

    private AdminServer(EventLoopGroup loop, ExecutorService handlers, Channel channel) {
        this.loop = loop;
        this.handlers = handlers;
        this.channel = channel;
    }

    public static AdminServer start(Transport transport, String address, int port, AdminHandler handler) {
        EventLoopGroup loop = transport.newGroup(1);
        ExecutorService handlers = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("weft-admin").unstarted(r));
        ServerBootstrap b = new ServerBootstrap().group(loop).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new Dispatcher(handler, handlers));
                    }
                });
        try {
            return new AdminServer(loop, handlers,
                    b.bind(new InetSocketAddress(address, port)).syncUninterruptibly().channel());
        } catch (RuntimeException e) {
            handlers.shutdownNow();
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return address().getPort();
    }

    /** Where the admin really listens: the bound address and port. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        handlers.shutdownNow();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final AdminHandler handler;
        private final ExecutorService handlers;

        Dispatcher(AdminHandler handler, ExecutorService handlers) {
            this.handler = handler;
            this.handlers = handlers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.decoderResult().isFailure()) {
                respond(ctx, keepAlive, AdminResponse.text(400, "bad request\n"));
                return;
            }
            String method = request.method().name();
            String uri = request.uri();
            try {
                handlers.execute(() -> respond(ctx, keepAlive, handle(method, uri)));
            } catch (RejectedExecutionException e) {
                respond(ctx, keepAlive, AdminResponse.text(503, "admin is shutting down\n"));
            }
        }

        private AdminResponse handle(String method, String uri) {
            QueryStringDecoder q = new QueryStringDecoder(uri);
            try {
                return handler.handle(method, q.path(), q.parameters());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "admin request " + uri + " failed", e);
                return AdminResponse.text(500, "admin handler failed: " + e.getMessage() + "\n");
            }
        }

        /** Thread-safe: Netty hands a write from the admin thread to the channel's event loop. */
        private static void respond(ChannelHandlerContext ctx, boolean keepAlive, AdminResponse answer) {
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            var f = ctx.writeAndFlush(response);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
            if (answer.afterSent() != null) {
                // Off the admin loop: the action may be the one that shuts it down.
                f.addListener(done -> Thread.ofPlatform().daemon().start(answer.afterSent()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
