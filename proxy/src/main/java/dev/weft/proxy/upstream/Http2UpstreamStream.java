package dev.weft.proxy.upstream;

import dev.weft.proxy.transport.Http2BodyWrites;
import dev.weft.proxy.transport.Http2ReceiveWindow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;

/**
 * One request and its response on an {@link Http2ClientConnection}, as HTTP objects. Response body backpressure is
 * the stream's flow-control window: while reading is paused, received bytes are not acknowledged, so the server
 * runs out of window.
 */
final class Http2UpstreamStream implements UpstreamStream {

    private final Http2ClientConnection connection;
    private final UpstreamStreamListener listener;
    /** Null until the request headers are written. */
    private Http2Stream stream;
    private boolean responseDone;
    private boolean reset;
    private boolean ended;
    private final Http2ReceiveWindow window = new Http2ReceiveWindow();

    Http2UpstreamStream(Http2ClientConnection connection, UpstreamStreamListener listener) {
        this.connection = connection;
        this.listener = listener;
    }

    @Override
    public void write(HttpObject message) {
        if (reset || ended) {
            ReferenceCountUtil.release(message);
            return;
        }
        ChannelHandlerContext ctx = connection.context();
        if (message instanceof HttpRequest request) {
            if (stream != null) {
                ReferenceCountUtil.release(message);
                return;
            }
            boolean endsHere = message instanceof LastHttpContent last
                    && !last.content().isReadable() && last.trailingHeaders().isEmpty();
            request.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), connection.scheme().name());
            stream = connection.start(this, HttpConversionUtil.toHttp2Headers(request, true), endsHere);
            if (stream == null) {
                ReferenceCountUtil.release(message);
                // Not from inside the caller's write: the connection went away before this stream could start.
                ctx.executor().execute(() -> fail(UpstreamFailure.CONNECTION_TERMINATION));
                return;
            }
            if (endsHere) {
                ReferenceCountUtil.release(message);
            } else if (message instanceof LastHttpContent last) {
                writeBody(last.content(), last.trailingHeaders(), true);
            }
        } else if (message instanceof HttpContent content && stream != null && isOpenForWrites()) {
            boolean last = content instanceof LastHttpContent;
            writeBody(content.content(), last ? ((LastHttpContent) content).trailingHeaders() : null, last);
        } else {
            ReferenceCountUtil.release(message);
            return;
        }
        connection.flush(ctx);
    }

    private void writeBody(ByteBuf data, HttpHeaders trailers, boolean last) {
        Http2BodyWrites.writeBody(connection.context(), connection.encoder(), stream.id(), data, trailers, last);
    }

    private boolean isOpenForWrites() {
        return switch (stream.state()) {
            case OPEN, HALF_CLOSED_REMOTE -> true;
            default -> false;
        };
    }

    @Override
    public boolean isWritable() {
        return stream == null ? connection.context().channel().isWritable()
                : connection.encoder().flowController().isWritable(stream);
    }

    @Override
    public void setReading(boolean wanted) {
        if (stream != null) {
            window.setReading(wanted, connection, connection.context(), stream);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return connection.context().channel().localAddress();
    }

    /** A stream cannot be taken off its connection for a protocol switch. */
    @Override
    public Channel detach() {
        return null;
    }

    @Override
    public void reset() {
        if (reset) {
            return;
        }
        reset = true;
        if (stream == null) {
            end();
        } else if (stream.state() != Http2Stream.State.CLOSED) {
            ChannelHandlerContext ctx = connection.context();
            connection.resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
            connection.flush(ctx);
        }
    }

    /**
     * The response head, or its trailers. Interim (1xx) heads are dropped, as no listener forwards them; a body
     * without Content-Length is marked chunked, so an HTTP/1 client downstream gets it framed.
     */
    void onHeaders(int streamId, Http2Headers headers, boolean endOfStream) {
        if (reset) {
            return;
        }
        CharSequence status = headers.status();
        try {
            if (status != null && status.length() == 3 && status.charAt(0) == '1' && !endOfStream) {
                return;
            }
            HttpObject message;
            if (status == null) {
                LastHttpContent trailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
                HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, trailers.trailingHeaders(),
                        HttpVersion.HTTP_1_1, true, true);
                message = trailers;
            } else if (endOfStream) {
                message = HttpConversionUtil.toFullHttpResponse(streamId, headers, Unpooled.EMPTY_BUFFER, true);
            } else {
                HttpResponse response = HttpConversionUtil.toHttpResponse(streamId, headers, true);
                if (!HttpUtil.isContentLengthSet(response)) {
                    response.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                }
                message = response;
            }
            respond(message);
        } catch (Http2Exception malformed) {
            fail(UpstreamFailure.PROTOCOL_ERROR);
            ChannelHandlerContext ctx = connection.context();
            connection.resetStream(ctx, streamId, Http2Error.PROTOCOL_ERROR.code(), ctx.newPromise());
            connection.flush(ctx);
        }
    }

    /** How many of the data's bytes to acknowledge now; the rest wait for reading to resume. */
    int onData(ByteBuf data, boolean endOfStream) {
        int length = data.readableBytes();
        if (reset) {
            return length;
        }
        respond(endOfStream ? new DefaultLastHttpContent(data.retain()) : new DefaultHttpContent(data.retain()));
        return reset ? length : window.received(length);
    }

    private void respond(HttpObject message) {
        if (message instanceof LastHttpContent) {
            responseDone = true;
        }
        listener.onResponse(message);
    }

    void onReset(long errorCode) {
        if (!responseDone) {
            fail(errorCode == Http2Error.REFUSED_STREAM.code()
                    ? UpstreamFailure.REFUSED_STREAM : UpstreamFailure.REMOTE_RESET);
        }
    }

    void writabilityChanged() {
        if (!reset && !ended) {
            listener.onWritabilityChanged(isWritable());
        }
    }

    /** The stream closed: both sides ended, it was reset, or its connection went away. */
    void closed() {
        end();
        if (!responseDone) {
            fail(UpstreamFailure.CONNECTION_TERMINATION);
        }
    }

    private void fail(UpstreamFailure failure) {
        if (stream == null) {
            end();
        }
        if (!reset) {
            reset = true;
            listener.onFailure(failure);
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            connection.streamEnded();
        }
    }
}
