package dev.weft.testing.upstream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2 cleartext (prior knowledge) echo server on 127.0.0.1 and an ephemeral port. It answers every stream
 * with status 200 (or {@code x-fake-status}), a header {@code x-upstream} with its name and {@code x-protocol: h2},
 * a body describing the request, and a trailer {@code x-trailer: done}; {@code x-fake-delay-ms} delays the answer.
 * It can announce a SETTINGS_MAX_CONCURRENT_STREAMS limit, and counts the most streams it served at once.
 */
public final class FakeHttp2Upstream implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger toRefuse = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private FakeHttp2Upstream(String name, long maxConcurrentStreams) {
        this.name = name;
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                                .build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                if (toRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                    stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
                                    return;
                                }
                                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                        new HttpObjectAggregator(1 << 20), new Echo());
                            }
                        }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public static FakeHttp2Upstream start(String name) {
        return new FakeHttp2Upstream(name, Integer.MAX_VALUE);
    }

    /** A server that lets a client open at most {@code maxConcurrentStreams} streams at a time. */
    public static FakeHttp2Upstream start(String name, long maxConcurrentStreams) {
        return new FakeHttp2Upstream(name, maxConcurrentStreams);
    }

    /** The most requests this server was answering at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Resets the next {@code n} streams with REFUSED_STREAM before reading them. */
    public FakeHttp2Upstream refuseNextStreams(int n) {
        toRefuse.set(n);
        return this;
    }

    public int requestCount() {
        return requests.get();
    }

    public int connectionCount() {
        return connections.get();
    }

    private final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            StringBuilder body = new StringBuilder();
            body.append(request.method()).append(' ').append(request.uri()).append(" HTTP/2\n");
            request.headers().forEach(h -> body.append(h.getKey().toLowerCase(Locale.ROOT)).append(": ")
                    .append(h.getValue()).append('\n'));
            body.append('\n').append(request.content().toString(StandardCharsets.UTF_8));
            String status = request.headers().get("x-fake-status");
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status == null ? 200 : Integer.parseInt(status)),
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(FakeHttpUpstream.NAME_HEADER, name);
            response.headers().set("x-protocol", "h2");
            response.trailingHeaders().set("x-trailer", "done");
            String delay = request.headers().get("x-fake-delay-ms");
            Runnable answer = () -> {
                inFlight.decrementAndGet();
                ctx.writeAndFlush(response);
            };
            if (delay == null) {
                answer.run();
            } else {
                ctx.executor().schedule(answer, Long.parseLong(delay), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
