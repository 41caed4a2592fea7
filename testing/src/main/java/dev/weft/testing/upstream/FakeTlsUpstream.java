package dev.weft.testing.upstream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * An HTTPS echo server on 127.0.0.1 and an ephemeral port, speaking h2 or http/1.1 by ALPN (http/1.1 when the
 * client offers none). Each answer says what the TLS handshake carried: headers {@code x-upstream} (its name),
 * {@code x-protocol} (h2 or http/1.1), {@code x-tls-sni} (the server name asked for, or "none") and
 * {@code x-client-cert} (the client certificate's subject, or "none"). With a client CA it requires client
 * certificates signed by it (mutual TLS).
 */
public final class FakeTlsUpstream implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();

    private FakeTlsUpstream(String name, SslContext tls) {
        this.name = name;
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new ProtocolChoice());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    /** {@code clientCaPem} null: no client certificate asked for. */
    public static FakeTlsUpstream start(String name, String certificatePem, String privateKeyPem, String clientCaPem) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(stream(certificatePem), stream(privateKeyPem))
                    .sslProvider(SslProvider.JDK)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            if (clientCaPem != null) {
                b.trustManager(stream(clientCaPem)).clientAuth(ClientAuth.REQUIRE);
            }
            return new FakeTlsUpstream(name, b.build());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalArgumentException("bad test certificate: " + e.getMessage(), e);
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public int requestCount() {
        return requests.get();
    }

    /** Completed TLS handshakes, i.e. connections that reached HTTP. */
    public int handshakeCount() {
        return handshakes.get();
    }

    private final class ProtocolChoice extends ApplicationProtocolNegotiationHandler {

        ProtocolChoice() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            handshakes.incrementAndGet();
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            String sni = "none";
            if (ssl.engine().getSession() instanceof ExtendedSSLSession s && !s.getRequestedServerNames().isEmpty()
                    && s.getRequestedServerNames().get(0) instanceof SNIHostName host) {
                sni = host.getAsciiName();
            }
            String client = "none";
            try {
                client = ((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                // No client certificate: "none".
            }
            Echo echo = new Echo(protocol, sni, client);
            ChannelPipeline p = ctx.pipeline();
            if (protocol.equals(ApplicationProtocolNames.HTTP_2)) {
                p.addLast(Http2FrameCodecBuilder.forServer().build());
                p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                new HttpObjectAggregator(1 << 20), echo);
                    }
                }));
            } else {
                p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), echo);
            }
        }
    }

    @io.netty.channel.ChannelHandler.Sharable
    private final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final String protocol;
        private final String sni;
        private final String clientCertificate;

        Echo(String protocol, String sni, String clientCertificate) {
            this.protocol = protocol;
            this.sni = sni;
            this.clientCertificate = clientCertificate;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            String body = request.method() + " " + request.uri() + "\n";
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(FakeHttpUpstream.NAME_HEADER, name)
                    .set("x-protocol", protocol)
                    .set("x-tls-sni", sni)
                    .set("x-client-cert", clientCertificate)
                    .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
