package dev.weft.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.net.SocketAddress;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

/** One pooled HTTP/1.1 upstream connection, and the {@link UpstreamStream} of the exchange it is serving. */
final class Http1Connection extends ChannelDuplexHandler implements UpstreamStream {

    private final Http1ConnectionPool pool;
    private final int maxRequests;
    private ChannelHandlerContext ctx;
    private UpstreamStreamListener listener;
    private boolean requestDone;
    private boolean responseDone;
    private boolean reusable = true;
    private int served;

    Http1Connection(Http1ConnectionPool pool, int maxRequests) {
        this.pool = pool;
        this.maxRequests = maxRequests;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    boolean isUsable() {
        return reusable && ctx.channel().isActive() && listener == null;
    }

    void attach(UpstreamStreamListener l) {
        listener = l;
        requestDone = false;
        responseDone = false;
        served++;
        if (maxRequests > 0 && served >= maxRequests) {
            reusable = false;
        }
        ctx.channel().config().setAutoRead(true);
        l.onReady(this);
    }

    @Override
    public void write(HttpObject message) {
        if (listener == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof LastHttpContent) {
            requestDone = true;
        }
        ctx.writeAndFlush(message);
        if (requestDone && responseDone) {
            exchangeComplete();
        }
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void setReading(boolean reading) {
        ctx.channel().config().setAutoRead(reading);
        if (reading) {
            ctx.read();
        }
    }

    @Override
    public void reset() {
        listener = null;
        reusable = false;
        ctx.channel().close();
    }

    @Override
    public SocketAddress localAddress() {
        return ctx.channel().localAddress();
    }

    @Override
    public Channel detach() {
        listener = null;
        reusable = false;
        Channel ch = ctx.channel();
        ch.pipeline().remove(HttpClientCodec.class);
        if (ch.pipeline().get(IdleStateHandler.class) != null) {
            ch.pipeline().remove(IdleStateHandler.class);
        }
        ch.pipeline().remove(this);
        return ch;
    }

    void close() {
        reusable = false;
        ctx.channel().close();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        UpstreamStreamListener l = listener;
        if (l == null || !(msg instanceof HttpObject obj)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (obj.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            reset();
            l.onFailure(UpstreamFailure.PROTOCOL_ERROR);
            return;
        }
        if (obj instanceof HttpResponse response && !HttpUtil.isKeepAlive(response)) {
            reusable = false;
        }
        boolean last = obj instanceof LastHttpContent;
        if (last) {
            responseDone = true;
        }
        l.onResponse(obj);
        if (last && listener == l && requestDone) {
            exchangeComplete();
        }
    }

    private void exchangeComplete() {
        listener = null;
        pool.release(this);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (listener != null) {
            listener.onWritabilityChanged(context.channel().isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof IdleStateEvent && listener == null) {
            pool.removeIdle(this);
            context.close();
            return;
        }
        context.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        reusable = false;
        pool.removeIdle(this);
        UpstreamStreamListener l = listener;
        listener = null;
        if (l != null && !responseDone) {
            l.onFailure(UpstreamFailure.CONNECTION_TERMINATION);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }
}
