package dev.weft.proxy.http;

import dev.weft.proxy.worker.WorkerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.AttributeKey;
import java.util.List;

/** Installs the downstream HTTP codec for a connection: HTTP/1.1, HTTP/2 (h2c prior knowledge), or sniffing. */
public final class HttpServerPipeline {

    /** Envoy's default request header read timeout is off; an open proxy needs one against slowloris. */
    static final long DEFAULT_HEADER_TIMEOUT_NANOS = 10_000_000_000L;
    /** Ends an HTTP connection gracefully; run on its event loop. */
    public static final AttributeKey<Runnable> DRAIN = AttributeKey.valueOf("weft.http-drain");

    private HttpServerPipeline() {
    }

    /**
     * Installs the codec: the configured one, or for AUTO the ALPN result of a TLS handshake ({@code negotiated}
     * "h2" or "http/1.1"), else sniffing the first bytes.
     */
    public static void install(Channel channel, HttpConnectionManagerConfig config, WorkerContext worker,
            String negotiated) {
        ConnectionLifetime lifetime = new ConnectionLifetime(config.protocol(), config.stats(), worker.ticker());
        lifetime.start(channel);
        channel.attr(DRAIN).set(lifetime::drain);
        if (config.codecType() == HttpConnectionManagerConfig.CodecType.AUTO) {
            switch (negotiated) {
                case "h2" -> {
                    installHttp2(channel.pipeline(), config, worker, lifetime);
                    return;
                }
                case "http/1.1", "http/1.0" -> {
                    installHttp1(channel.pipeline(), config, worker, lifetime);
                    return;
                }
                default -> {
                    // No ALPN: sniff, as for plain text.
                }
            }
        }
        switch (config.codecType()) {
            case HTTP1 -> installHttp1(channel.pipeline(), config, worker, lifetime);
            case HTTP2 -> installHttp2(channel.pipeline(), config, worker, lifetime);
            case AUTO -> channel.pipeline().addLast("protocol-sniffer", new ProtocolSniffer(config, worker, lifetime));
        }
    }

    static void installHttp1(ChannelPipeline p, HttpConnectionManagerConfig config, WorkerContext worker,
            ConnectionLifetime lifetime) {
        long headerTimeout = config.requestHeadersTimeout().isZero() ? DEFAULT_HEADER_TIMEOUT_NANOS
                : config.requestHeadersTimeout().toNanos();
        HeaderReadTimeoutHandler timeout = new HeaderReadTimeoutHandler(headerTimeout, config.stats());
        p.addLast("header-timeout", timeout);
        p.addLast("http1", new HttpServerCodec(new HttpDecoderConfig()
                // As Envoy, the request line counts against the header limit rather than a limit of its own.
                .setMaxInitialLineLength(config.maxRequestHeadersBytes())
                .setMaxHeaderSize(config.maxRequestHeadersBytes())
                .setMaxChunkSize(64 * 1024)));
        p.addLast("expect-continue", new HttpServerExpectContinueHandler());
        p.addLast("downstream", new DownstreamHandler(config, worker, timeout, lifetime));
    }

    static void installHttp2(ChannelPipeline p, HttpConnectionManagerConfig config, WorkerContext worker,
            ConnectionLifetime lifetime) {
        p.addLast("http2", Http2ServerHandler.create(config, worker, lifetime));
    }

    /** Reads just enough of the first bytes to tell the HTTP/2 connection preface from HTTP/1. */
    static final class ProtocolSniffer extends ByteToMessageDecoder {

        private final HttpConnectionManagerConfig config;
        private final WorkerContext worker;
        private final ConnectionLifetime lifetime;

        ProtocolSniffer(HttpConnectionManagerConfig config, WorkerContext worker, ConnectionLifetime lifetime) {
            this.config = config;
            this.worker = worker;
            this.lifetime = lifetime;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
            try {
                int n = Math.min(in.readableBytes(), preface.readableBytes());
                boolean prefixMatches = ByteBufUtil.equals(in, in.readerIndex(), preface, 0, n);
                if (prefixMatches && n < preface.readableBytes()) {
                    return;
                }
                ChannelPipeline p = ctx.pipeline();
                if (prefixMatches) {
                    installHttp2(p, config, worker, lifetime);
                } else {
                    installHttp1(p, config, worker, lifetime);
                }
                p.remove(this);
            } finally {
                preface.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
