package dev.weft.proxy.http;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.transport.Http2BodyWrites;
import dev.weft.proxy.transport.Http2ReceiveWindow;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/2 stream as the {@link Downstream} of its exchange. Request body backpressure is the stream's
 * flow-control window: while reading is paused, received bytes are not acknowledged, so the client runs out of window.
 */
final class Http2ServerStream implements Downstream {

    private final Http2ServerHandler connection;
    private final Http2Stream stream;
    private HttpExchange exchange;
    private final Http2ReceiveWindow window = new Http2ReceiveWindow();

    Http2ServerStream(Http2ServerHandler connection, Http2Stream stream) {
        this.connection = connection;
        this.stream = stream;
    }

    void start(HttpRequest request) {
        try {
            exchange = new HttpExchange(this, connection.config(), connection.worker(), request, true);
            exchange.start();
            if (request instanceof FullHttpRequest full) {
                exchange.onRequestContent(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    void onRequestContent(HttpContent content) {
        if (exchange == null || exchange.finished()) {
            ReferenceCountUtil.release(content);
            return;
        }
        try {
            exchange.onRequestContent(content);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** How many of {@code length} just-received body bytes to acknowledge now; the rest wait for reading to resume. */
    int consumed(int length) {
        return exchange == null || exchange.finished() ? length : window.received(length);
    }

    /** The stream closed or the client reset it: an exchange still running loses its client. */
    void closed() {
        HttpExchange e = exchange;
        if (e == null || e.finished()) {
            return;
        }
        try {
            e.onDownstreamReset();
        } catch (RuntimeException ex) {
            connection.handlerFailed(ex);
        }
    }

    void writabilityChanged() {
        if (exchange != null && !exchange.finished()) {
            try {
                exchange.onWritabilityChanged(isWritable());
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private void failed(RuntimeException e) {
        connection.handlerFailed(e);
        HttpExchange failed = exchange;
        if (failed != null && !failed.finished()) {
            failed.sendLocalReply(500, "internal error", null, ResponseCodeDetails.FILTER_FAILURE);
            if (!failed.finished()) {
                failed.resetDownstream();
            }
        } else {
            reset();
        }
    }

    @Override
    public boolean sendHeaders(HttpResponse response, boolean closeAfter) {
        send(response);
        return false;
    }

    /** HTTP/2 has no Upgrade: the connection manager never asks for one on a stream. */
    @Override
    public void upgrade(HttpResponse switching, Channel upstream) {
        ReferenceCountUtil.release(switching);
        upstream.close();
        reset();
    }

    @Override
    public void send(HttpObject message) {
        ChannelHandlerContext ctx = connection.context();
        Http2ConnectionEncoder encoder = connection.encoder();
        if (!isOpenForWrites()) {
            ReferenceCountUtil.release(message);
            return;
        }
        int id = stream.id();
        if (message instanceof HttpResponse response) {
            boolean endsHere = message instanceof LastHttpContent last
                    && !last.content().isReadable() && last.trailingHeaders().isEmpty();
            encoder.writeHeaders(ctx, id, HttpConversionUtil.toHttp2Headers(response, true), 0, endsHere,
                    ctx.newPromise());
            if (endsHere) {
                ReferenceCountUtil.release(message);
            } else if (message instanceof LastHttpContent last) {
                Http2BodyWrites.writeBody(ctx, encoder, id, last.content(), last.trailingHeaders(), true);
            }
        } else if (message instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            HttpHeaders trailers = last ? ((LastHttpContent) content).trailingHeaders() : null;
            Http2BodyWrites.writeBody(ctx, encoder, id, content.content(), trailers, last);
        } else {
            ReferenceCountUtil.release(message);
        }
        connection.flush(ctx);
    }

    private boolean isOpenForWrites() {
        return switch (stream.state()) {
            case OPEN, HALF_CLOSED_REMOTE -> true;
            default -> false;
        };
    }

    @Override
    public boolean isWritable() {
        return connection.encoder().flowController().isWritable(stream);
    }

    @Override
    public void setReading(boolean wanted) {
        window.setReading(wanted, connection, connection.context(), stream);
    }

    @Override
    public void reset() {
        if (stream.state() != Http2Stream.State.CLOSED) {
            ChannelHandlerContext ctx = connection.context();
            connection.resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
            connection.flush(ctx);
        }
    }

    @Override
    public void exchangeDone(HttpExchange done, boolean keepAlive) {
        // A stream carries one exchange; the connection goes on serving other streams.
    }

    @Override
    public Channel connection() {
        return connection.context().channel();
    }
}
