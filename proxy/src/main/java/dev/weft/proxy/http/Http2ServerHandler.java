package dev.weft.proxy.http;

import dev.weft.proxy.transport.Http2Connections;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of an HTTP/2 connection (h2c prior knowledge or h2 by ALPN): one handler for the whole
 * connection, with each stream's state kept on the stream itself. Unlike Netty's Http2MultiplexHandler there is no
 * child channel and no per-stream pipeline, so a request costs one {@link Http2ServerStream} and its exchange.
 */
final class Http2ServerHandler extends Http2ConnectionHandler implements ConnectionLifetime.Connection {

    private static final Logger LOG = Logger.getLogger(Http2ServerHandler.class.getName());
    /** Envoy's default drain_timeout: how long a draining connection's streams get to finish. */
    private static final long DRAIN_TIMEOUT_MILLIS = 5_000;

    private final HttpConnectionManagerConfig config;
    private final WorkerContext worker;
    private final Http2Connection.PropertyKey streamKey;
    private final ConnectionLifetime lifetime;
    private ChannelHandlerContext ctx;
    private int streamsServed;

    private Http2ServerHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
            HttpConnectionManagerConfig config, WorkerContext worker, ConnectionLifetime lifetime) {
        super(decoder, encoder, settings);
        this.config = config;
        this.worker = worker;
        this.streamKey = connection().newKey();
        this.lifetime = lifetime;
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                Http2ServerStream s = stream.removeProperty(streamKey);
                if (s != null) {
                    s.closed();
                }
                if (connection().numActiveStreams() == 0) {
                    lifetime.becameIdle();
                }
            }
        });
        encoder.flowController().listener(stream -> {
            Http2ServerStream s = stream.getProperty(streamKey);
            if (s != null) {
                s.writabilityChanged();
            }
        });
        decoder.frameListener(new FrameListener());
    }

    /** The handler for a new connection, with the connection manager's header size and stream limits. */
    static Http2ServerHandler create(HttpConnectionManagerConfig config, WorkerContext worker,
            ConnectionLifetime lifetime) {
        return new Builder(config, worker, lifetime)
                .initialSettings(Http2Settings.defaultSettings()
                        .maxHeaderListSize(config.maxRequestHeadersBytes())
                        .maxConcurrentStreams(config.protocol().maxConcurrentStreams()))
                .gracefulShutdownTimeoutMillis(DRAIN_TIMEOUT_MILLIS)
                .build();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) throws Exception {
        this.ctx = context;
        super.handlerAdded(context);
        lifetime.bind(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext context) throws Exception {
        lifetime.stop();
        super.handlerRemoved0(context);
    }

    @Override
    public boolean hasActiveRequests() {
        return connection().numActiveStreams() > 0;
    }

    @Override
    public void closeIdle() {
        drain();
    }

    /** GOAWAY now; the connection closes once its streams end, or after Envoy's drain timeout. */
    @Override
    public void drain() {
        // Through the channel, so that this handler's own close() sends GOAWAY and waits for the streams.
        ctx.channel().close();
    }

    /** Counts a new stream against max_requests_per_connection; past it the connection drains. */
    private void countStream() {
        int max = config.protocol().maxRequestsPerConnection();
        if (max > 0 && ++streamsServed == max) {
            config.stats().maxRequestsReached.increment();
            ctx.executor().execute(this::drain);
        }
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    HttpConnectionManagerConfig config() {
        return config;
    }

    WorkerContext worker() {
        return worker;
    }

    /** Counts and logs a failure of our own request handling (never the client's fault). */
    void handlerFailed(RuntimeException e) {
        config.stats().handlerErrors.increment();
        LOG.log(Level.WARNING, "request handling failed", e);
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext context, boolean outbound, Throwable cause,
            Http2Exception http2Ex) {
        config.stats().protocolErrors.increment();
        LOG.log(Level.FINE, "HTTP/2 connection error", cause);
        super.onConnectionError(context, outbound, cause, http2Ex);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) throws Exception {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            super.exceptionCaught(context, cause);
            return;
        }
        config.stats().connectionErrors.increment();
        LOG.log(Level.FINE, "downstream connection error", cause);
        context.close();
    }

    /** RFC 9113 8.3.1: a request without :method, or (unless CONNECT) :scheme and :path, is malformed. */
    private static void requireRequestPseudoHeaders(int streamId, Http2Headers headers) throws Http2Exception {
        boolean connect = headers.method() != null && "CONNECT".contentEquals(headers.method());
        if (headers.method() == null || (!connect && (headers.scheme() == null || headers.path() == null
                || headers.path().isEmpty()))) {
            throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR,
                    "a request needs :method, :scheme and :path");
        }
    }

    /**
     * A stream whose headers fail validation while they are decoded is reset before Netty ever records it, so DATA
     * the client had already sent on it would look like a frame for a stream that never existed, a connection
     * error that ends every stream. Recording the stream first makes that DATA a frame on a closed stream, which
     * only that stream pays for (RFC 9113 5.1).
     */
    @Override
    protected void onStreamError(ChannelHandlerContext context, boolean outbound, Throwable cause,
            Http2Exception.StreamException http2Ex) {
        int id = http2Ex.streamId();
        if (!outbound && connection().stream(id) == null && connection().remote().isValidStreamId(id)
                && !connection().remote().mayHaveCreatedStream(id)) {
            try {
                connection().remote().createStream(id, true);
            } catch (Http2Exception notAllowed) {
                // Past the stream limit or after GOAWAY: Netty's own handling below resets it as unknown.
            }
        }
        super.onStreamError(context, outbound, cause, http2Ex);
    }

    /** Requests, body and trailers in; everything else (settings, pings, window updates) is the codec's business. */
    private final class FrameListener extends Http2FrameAdapter {

        @Override
        public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
            onHeadersRead(context, streamId, headers, padding, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) throws Http2Exception {
            Http2Stream stream = connection().stream(streamId);
            if (stream == null) {
                return;
            }
            Http2ServerStream existing = stream.getProperty(streamKey);
            if (existing != null) {
                LastHttpContent trailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
                HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, trailers.trailingHeaders(),
                        HttpVersion.HTTP_1_1, true, true);
                existing.onRequestContent(trailers);
                return;
            }
            requireRequestPseudoHeaders(streamId, headers);
            HttpRequest request = endOfStream
                    ? HttpConversionUtil.toFullHttpRequest(streamId, headers, Unpooled.EMPTY_BUFFER, true)
                    : HttpConversionUtil.toHttpRequest(streamId, headers, true);
            countStream();
            Http2ServerStream s = new Http2ServerStream(Http2ServerHandler.this, stream);
            stream.setProperty(streamKey, s);
            s.start(request);
        }

        @Override
        public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding,
                boolean endOfStream) {
            Http2Stream stream = connection().stream(streamId);
            Http2ServerStream s = stream == null ? null : stream.getProperty(streamKey);
            int length = data.readableBytes();
            if (s == null) {
                return length + padding;
            }
            s.onRequestContent(endOfStream ? new DefaultLastHttpContent(data.retain())
                    : new DefaultHttpContent(data.retain()));
            return s.consumed(length) + padding;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
            Http2Stream stream = connection().stream(streamId);
            Http2ServerStream s = stream == null ? null : stream.removeProperty(streamKey);
            if (s != null) {
                s.closed();
            }
        }
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerHandler, Builder> {

        private final HttpConnectionManagerConfig config;
        private final WorkerContext worker;
        private final ConnectionLifetime lifetime;

        Builder(HttpConnectionManagerConfig config, WorkerContext worker, ConnectionLifetime lifetime) {
            this.config = config;
            this.worker = worker;
            this.lifetime = lifetime;
            connection(Http2Connections.create(true));
            validateHeaders(true);
        }

        @Override
        protected Builder initialSettings(Http2Settings settings) {
            return super.initialSettings(settings);
        }

        @Override
        protected Builder gracefulShutdownTimeoutMillis(long millis) {
            return super.gracefulShutdownTimeoutMillis(millis);
        }

        @Override
        protected Http2ServerHandler build() {
            return super.build();
        }

        @Override
        protected Http2ServerHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings initialSettings) {
            return new Http2ServerHandler(decoder, encoder, initialSettings, config, worker, lifetime);
        }
    }
}
