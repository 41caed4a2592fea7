package dev.weft.proxy.upstream;

import dev.weft.proxy.transport.Http2Connections;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpScheme;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * The client side of one multiplexed HTTP/2 connection to an upstream host: one handler for the whole connection,
 * each request's state kept on its stream. Unlike Netty's Http2MultiplexHandler there is no child channel and no
 * per-stream pipeline, so a request costs one {@link Http2UpstreamStream}.
 */
final class Http2ClientConnection extends Http2ConnectionHandler {

    /** What the pool hears from its connection, on the connection's event loop. */
    interface Events {

        /** The server's first SETTINGS arrived, and with it its concurrent stream limit. */
        void settled(Http2ClientConnection connection);

        /** A stream handed out by {@link #newStream} ended, so the connection has room for another. */
        void streamEnded(Http2ClientConnection connection);

        /** The server sent GOAWAY: streams it accepted finish, new ones need another connection. */
        void goingAway(Http2ClientConnection connection);
    }

    private final Events events;
    private final Http2Connection.PropertyKey streamKey;
    private ChannelHandlerContext ctx;
    private HttpScheme scheme = HttpScheme.HTTP;
    private boolean settled;
    /** Streams handed out and not yet ended, including those whose request headers were not written yet. */
    private int streams;

    private Http2ClientConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
            Http2Settings settings, Events events) {
        super(decoder, encoder, settings);
        this.events = events;
        this.streamKey = connection().newKey();
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                Http2UpstreamStream s = stream.removeProperty(streamKey);
                if (s != null) {
                    s.closed();
                }
            }
        });
        encoder.flowController().listener(stream -> {
            Http2UpstreamStream s = stream.getProperty(streamKey);
            if (s != null) {
                s.writabilityChanged();
            }
        });
        decoder.frameListener(new FrameListener());
    }

    static Http2ClientConnection create(Events events) {
        return new Builder(events).build();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) throws Exception {
        this.ctx = context;
        // The TLS handler, if any, is added before the protocol handlers, as Netty's frame codec also assumes.
        if (context.pipeline().get(SslHandler.class) != null) {
            scheme = HttpScheme.HTTPS;
        }
        super.handlerAdded(context);
    }

    /** Whether a new stream may start here: the server's SETTINGS arrived, no GOAWAY, and below its stream limit. */
    boolean hasStreamCapacity() {
        return settled && ctx.channel().isActive() && !connection().goAwayReceived()
                && streams < connection().local().maxActiveStreams();
    }

    /** Hands out a stream; its id is taken when it writes its headers, so ids go out in the order streams start. */
    Http2UpstreamStream newStream(UpstreamStreamListener listener) {
        streams++;
        return new Http2UpstreamStream(this, listener);
    }

    /**
     * Starts the stream with its request headers; null when the connection can take no new stream any more: closed,
     * out of stream ids, or the server sent GOAWAY since the stream was handed out (the server would not process a
     * stream past its last stream id, so it is not even tried).
     */
    Http2Stream start(Http2UpstreamStream upstream, Http2Headers headers, boolean endStream) {
        if (!ctx.channel().isActive() || connection().goAwayReceived()) {
            return null;
        }
        int id = connection().local().incrementAndGetNextStreamId();
        if (id < 0) {
            return null;
        }
        encoder().writeHeaders(ctx, id, headers, 0, endStream, ctx.newPromise());
        Http2Stream stream = connection().stream(id);
        if (stream == null) {
            return null;
        }
        stream.setProperty(streamKey, upstream);
        return stream;
    }

    /** Called once per stream handed out, when it ends for whatever reason. */
    void streamEnded() {
        streams--;
        if (streams == 0 && connection().goAwayReceived()) {
            ctx.close();
        }
        events.streamEnded(this);
    }

    int streamsOpen() {
        return streams;
    }

    HttpScheme scheme() {
        return scheme;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && streams == 0) {
            context.close();
            return;
        }
        super.userEventTriggered(context, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) throws Exception {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            super.exceptionCaught(context, cause);
            return;
        }
        // A reset or broken socket: every stream on it fails as a connection termination when it closes.
        context.close();
    }

    /** Responses, bodies, trailers and resets to their streams; SETTINGS and GOAWAY to the pool. */
    private final class FrameListener extends Http2FrameAdapter {

        private Http2UpstreamStream streamOf(int streamId) {
            Http2Stream stream = connection().stream(streamId);
            return stream == null ? null : stream.getProperty(streamKey);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers,
                int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream)
                throws Http2Exception {
            onHeadersRead(context, streamId, headers, padding, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) throws Http2Exception {
            Http2UpstreamStream s = streamOf(streamId);
            if (s != null) {
                s.onHeaders(streamId, headers, endOfStream);
            }
        }

        @Override
        public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding,
                boolean endOfStream) {
            Http2UpstreamStream s = streamOf(streamId);
            int length = data.readableBytes();
            if (s == null) {
                return length + padding;
            }
            return s.onData(data, endOfStream) + padding;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
            Http2UpstreamStream s = streamOf(streamId);
            if (s != null) {
                s.onReset(errorCode);
            }
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext context, Http2Settings settings) {
            if (!settled) {
                settled = true;
                events.settled(Http2ClientConnection.this);
            }
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext context, int lastStreamId, long errorCode, ByteBuf debugData) {
            events.goingAway(Http2ClientConnection.this);
            if (streams == 0) {
                context.close();
            }
        }
    }

    private static final class Builder
            extends AbstractHttp2ConnectionHandlerBuilder<Http2ClientConnection, Builder> {

        private final Events events;

        Builder(Events events) {
            this.events = events;
            connection(Http2Connections.create(false));
            validateHeaders(true);
        }

        @Override
        protected Http2ClientConnection build() {
            return super.build();
        }

        @Override
        protected Http2ClientConnection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings initialSettings) {
            return new Http2ClientConnection(decoder, encoder, initialSettings, events);
        }
    }
}
