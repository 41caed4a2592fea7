package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 connection to an upstream, against a server that speaks frames: streams go out in ascending order and
 * are all given back, a malformed response fails only its own stream, GOAWAY moves new requests to a new
 * connection, and the stream's flow-control window holds back a server whose client does not read.
 */
class Http2UpstreamConnectionTest {

    private static final int BIG = 8 << 20;
    private static final int CHUNK = 16 << 10;

    private final FrameServer upstream = new FrameServer();
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(String protocolOptions) {
        String cluster = Bootstraps.staticCluster("h2", "ROUND_ROBIN", """
                typed_extension_protocol_options:
                  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                    "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                    explicit_http_config: { http2_protocol_options: {} }
                """ + protocolOptions, upstream.port());
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: h2, timeout: 0s }
                """), "", cluster), ProxyOptions.defaults().withWorkerThreads(1).withRandomSeed(1));
    }

    @Test
    void concurrentRequestsShareOneConnectionInStreamOrderAndGiveEveryStreamBack() {
        start("    common_http_protocol_options: { idle_timeout: 0.5s }\n");

        List<CompletableFuture<HttpResponse<String>>> sent = IntStream.range(0, 20)
                .mapToObj(i -> proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/slow/" + i))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .toList();

        assertThat(sent.stream().map(CompletableFuture::join)).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(upstream.connections.get()).isEqualTo(1);
        List<Integer> ids = List.copyOf(upstream.streamIds);
        assertThat(ids).hasSize(20).isSorted().doesNotHaveDuplicates().allMatch(id -> id % 2 == 1);
        // The idle timeout closes a connection only once it has no stream: so none was left counted.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closedConnections.get() == 1);
    }

    @Test
    void aMalformedResponseFailsOnlyItsOwnStreamWith502Upe() {
        start("");

        HttpResponse<String> bad = proxy.get("/bad-status");
        HttpResponse<String> next = proxy.get("/fine");

        assertThat(bad.statusCode()).isEqualTo(502);
        assertThat(bad.body()).isEqualTo(
                "upstream connect error or disconnect/reset before headers. reset reason: protocol error");
        // The server meant to send a body: the proxy resets the stream so it stops.
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> upstream.resets.contains(Http2Error.PROTOCOL_ERROR.code()));
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(upstream.connections.get()).as("the connection outlived the bad stream").isEqualTo(1);
    }

    @Test
    void afterGoAwayNewRequestsTakeANewConnectionAndTheOldOneIsClosed() {
        start("");

        assertThat(proxy.get("/goaway").statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closedConnections.get() == 1);
        HttpResponse<String> next = proxy.get("/fine");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("connection 2");
        assertThat(upstream.connections.get()).isEqualTo(2);
    }

    @Test
    void aClientThatDoesNotReadHoldsTheServerToItsFlowControlWindow() throws Exception {
        start("");

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setReceiveBufferSize(64 << 10);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> upstream.bigBytesSent.get() > 0);
            // The proxy stops acknowledging what it cannot pass on: the server's writes wait for window.
            Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                    .until(() -> upstream.bigBytesSent.get() < 4 << 20);

            InputStream in = s.getInputStream();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
            }
            assertThat(total).isGreaterThan(BIG);
        }
        assertThat(upstream.bigBytesSent.get()).isEqualTo(BIG);
    }

    /** An h2c server on frames: each path asks for one behaviour. */
    private static final class FrameServer implements AutoCloseable {

        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger closedConnections = new AtomicInteger();
        private final Queue<Integer> streamIds = new ConcurrentLinkedQueue<>();
        private final Queue<Long> resets = new ConcurrentLinkedQueue<>();
        /** Body bytes of /big the server's socket accepted. */
        private final AtomicLong bigBytesSent = new AtomicLong();
        private final Channel channel;

        FrameServer() {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            int number = connections.incrementAndGet();
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Streams(number));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        private final class Streams extends ChannelInboundHandlerAdapter {

            private final int number;

            Streams(int number) {
                this.number = number;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof Http2HeadersFrame h) {
                        streamIds.add(h.stream().id());
                        answer(ctx, h.stream(), h.headers().path().toString());
                    } else if (msg instanceof Http2ResetFrame r) {
                        resets.add(r.errorCode());
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            private void answer(ChannelHandlerContext ctx, Http2FrameStream stream, String path) {
                switch (path) {
                    case "/bad-status" -> ctx.writeAndFlush(new DefaultHttp2HeadersFrame(
                            new DefaultHttp2Headers(false).status("abc"), false).stream(stream));
                    case "/goaway" -> {
                        ok(ctx, stream);
                        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
                    }
                    case "/big" -> {
                        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(stream));
                        for (int sent = 0; sent < BIG; sent += CHUNK) {
                            ChannelFuture written = ctx.write(new DefaultHttp2DataFrame(
                                    Unpooled.wrappedBuffer(new byte[CHUNK]), sent + CHUNK >= BIG).stream(stream));
                            written.addListener(f -> {
                                if (f.isSuccess()) {
                                    bigBytesSent.addAndGet(CHUNK);
                                }
                            });
                        }
                        ctx.flush();
                    }
                    default -> {
                        if (path.startsWith("/slow")) {
                            ctx.executor().schedule(() -> ok(ctx, stream), 200, TimeUnit.MILLISECONDS);
                        } else {
                            ok(ctx, stream);
                        }
                    }
                }
            }

            private void ok(ChannelHandlerContext ctx, Http2FrameStream stream) {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(stream));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("connection " + number,
                        StandardCharsets.US_ASCII), true).stream(stream));
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                closedConnections.incrementAndGet();
                ctx.fireChannelInactive();
            }
        }
    }
}
