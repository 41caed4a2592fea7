package dev.weft.proxy.http;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.streaminfo.ResponseFlag;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The downstream end of an HTTP/1 connection: turns decoded messages into {@link HttpExchange}s, one at a time,
 * rejects malformed requests, and never lets an exception escape.
 */
final class DownstreamHandler extends ChannelDuplexHandler implements Downstream, ConnectionLifetime.Connection {

    private static final Logger LOG = Logger.getLogger(DownstreamHandler.class.getName());
    /** Pipelined HTTP/1 messages held while a request is in flight; past this, reading pauses. */
    private static final int MAX_PIPELINED = 64;

    private final HttpConnectionManagerConfig config;
    private final WorkerContext worker;
    private final HeaderReadTimeoutHandler headerTimeout;
    private final ArrayDeque<HttpObject> pipelined = new ArrayDeque<>();
    private final ConnectionLifetime lifetime;
    private int requestsServed;
    private boolean draining;
    /** Whether the request being answered is HTTP/1.0, which has no chunked encoding. */
    private boolean http10;
    private ChannelHandlerContext ctx;
    private HttpExchange current;
    private boolean readingWanted = true;
    private boolean closing;

    DownstreamHandler(HttpConnectionManagerConfig config, WorkerContext worker,
            HeaderReadTimeoutHandler headerTimeout, ConnectionLifetime lifetime) {
        this.config = config;
        this.worker = worker;
        this.headerTimeout = headerTimeout;
        this.lifetime = lifetime;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        lifetime.bind(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        lifetime.stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject obj) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null && current.requestComplete() && !current.finished()) {
            pipelined.add(obj);
            if (pipelined.size() > MAX_PIPELINED) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        try {
            dispatch(ctx, obj);
        } catch (RuntimeException e) {
            handlerFailure(ctx, e);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, HttpObject obj) {
        if (obj instanceof HttpRequest request) {
            headerTimeout.headersReceived();
            DecoderResult result = request.decoderResult();
            if (result.isFailure()) {
                // Netty refuses any transfer coding but a final chunked; one it does not know is 501 (RFC 9112 6.1).
                int codings = RequestHeaderChecks.transferCodings(request.headers());
                ReferenceCountUtil.release(obj);
                rejectMalformed(ctx, result.cause(), codings);
                return;
            }
            countRequest();
            AbsoluteFormTarget.normalize(request);
            http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
            current = new HttpExchange(this, config, worker, request, false);
            current.start();
            if (obj instanceof FullHttpRequest full) {
                // The exchange keeps the headers; the body goes on as an ordinary last chunk.
                current.onRequestContent(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            }
        } else if (obj instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                ReferenceCountUtil.release(content);
                rejectMalformed(ctx, content.decoderResult().cause(), 0);
            } else if (current == null || current.finished()) {
                ReferenceCountUtil.release(content);
            } else {
                current.onRequestContent(content);
            }
        }
    }

    private void countRequest() {
        int max = config.protocol().maxRequestsPerConnection();
        if (max > 0 && ++requestsServed >= max && !draining) {
            config.stats().maxRequestsReached.increment();
            draining = true;
        }
    }

    /** {@code status} is the status to answer with, or 0 to derive it from the decoder's failure. */
    private void rejectMalformed(ChannelHandlerContext ctx, Throwable cause, int status) {
        config.stats().protocolErrors.increment();
        status = status != 0 ? status : cause instanceof TooLongHttpHeaderException ? 431
                : cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongFrameException ? 431 : 400;
        if (current != null && !current.finished()) {
            current.addFlag(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
            current.sendLocalReply(status, "", null, status == 431 ? "http1.headers_too_large" : "http1.codec_error");
            closeAfterFlush(ctx);
            return;
        }
        closeWith(ctx, status);
    }

    /** Answers with a bare status and closes, for failures that happen outside any exchange. */
    private void closeWith(ChannelHandlerContext ctx, int status) {
        closing = true;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeAfterFlush(ChannelHandlerContext ctx) {
        closing = true;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void handlerFailure(ChannelHandlerContext ctx, RuntimeException e) {
        config.stats().handlerErrors.increment();
        LOG.log(Level.WARNING, "request handling failed; answering 500", e);
        HttpExchange failed = current;
        if (failed != null && !failed.finished()) {
            failed.sendLocalReply(500, "internal error", null, ResponseCodeDetails.FILTER_FAILURE);
            if (!failed.finished()) {
                failed.resetDownstream();
            }
        } else {
            closeWith(ctx, 500);
        }
    }

    /** Called by the exchange when its response is written and its request is read (or abandoned). */
    @Override
    public void exchangeDone(HttpExchange exchange, boolean keepAlive) {
        if (current == exchange) {
            current = null;
        }
        if (!keepAlive || draining) {
            closeAfterFlush(ctx);
            pipelined.forEach(ReferenceCountUtil::release);
            pipelined.clear();
            return;
        }
        lifetime.becameIdle();
        headerTimeout.requestDone();
        readingWanted = true;
        ctx.channel().config().setAutoRead(true);
        while (!pipelined.isEmpty() && (current == null || !current.requestComplete() || current.finished())) {
            HttpObject next = pipelined.poll();
            try {
                dispatch(ctx, next);
            } catch (RuntimeException e) {
                handlerFailure(ctx, e);
            }
        }
    }

    @Override
    public void setReading(boolean reading) {
        if (readingWanted == reading) {
            return;
        }
        readingWanted = reading;
        ctx.channel().config().setAutoRead(reading);
        if (reading) {
            ctx.read();
        }
    }

    @Override
    public boolean sendHeaders(HttpResponse response, boolean closeAfter) {
        boolean close = closeAfter || draining;
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (response instanceof FullHttpResponse full) {
            HttpUtil.setContentLength(response, full.content().readableBytes());
        } else if (!HttpUtil.isContentLengthSet(response) && !bodyless(response.status().code())) {
            if (http10) {
                // HTTP/1.0 has no chunked encoding: the body ends when the connection closes.
                close = true;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
        ctx.writeAndFlush(response);
        return close;
    }

    private static boolean bodyless(int status) {
        return status == 204 || status == 304 || (status >= 100 && status < 200);
    }

    @Override
    public void send(HttpObject message) {
        ctx.writeAndFlush(message);
    }

    @Override
    public void upgrade(HttpResponse switching, Channel upstream) {
        if (switching.status().code() == 101) {
            switching.headers().set(HttpHeaderNames.CONNECTION, "upgrade");
            switching.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        }
        switching.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        Channel connection = ctx.channel();
        connection.writeAndFlush(switching).addListener(f -> {
            if (!f.isSuccess()) {
                upstream.close();
                return;
            }
            var p = connection.pipeline();
            for (String name : new String[] {"header-timeout", "http1", "expect-continue"}) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
            p.addLast("tunnel", new ByteRelay(upstream));
            upstream.pipeline().addLast("tunnel", new ByteRelay(connection));
            p.remove(this);
            connection.config().setAutoRead(true);
            upstream.config().setAutoRead(true);
            upstream.read();
        });
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void reset() {
        ctx.channel().close();
    }

    @Override
    public Channel connection() {
        return ctx.channel();
    }

    @Override
    public boolean hasActiveRequests() {
        return current != null;
    }

    @Override
    public void closeIdle() {
        closing = true;
        ctx.close();
    }

    @Override
    public void drain() {
        draining = true;
        if (current == null) {
            closeIdle();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            try {
                current.onWritabilityChanged(ctx.channel().isWritable());
            } catch (RuntimeException e) {
                handlerFailure(ctx, e);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        if (current != null) {
            HttpExchange c = current;
            current = null;
            try {
                c.onDownstreamReset();
            } catch (RuntimeException e) {
                config.stats().handlerErrors.increment();
                LOG.log(Level.WARNING, "cleanup after downstream close failed", e);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        config.stats().connectionErrors.increment();
        LOG.log(Level.FINE, "downstream connection error", cause);
        ctx.close();
    }
}
