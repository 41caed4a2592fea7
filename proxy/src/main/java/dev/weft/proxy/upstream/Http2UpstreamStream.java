package dev.weft.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.net.SocketAddress;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/** One HTTP/2 stream to an upstream, carrying one request and its response as HTTP objects. */
final class Http2UpstreamStream extends ChannelDuplexHandler implements UpstreamStream {

    private final UpstreamStreamListener listener;
    private final Runnable onClose;
    private ChannelHandlerContext ctx;
    private boolean responseDone;
    private boolean reset;

    Http2UpstreamStream(UpstreamStreamListener listener, Runnable onClose) {
        this.listener = listener;
        this.onClose = onClose;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void write(HttpObject message) {
        if (reset) {
            ReferenceCountUtil.release(message);
            return;
        }
        ctx.writeAndFlush(message);
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
    public SocketAddress localAddress() {
        return ctx.channel().localAddress();
    }

    @Override
    public Channel detach() {
        return null;
    }

    @Override
    public void reset() {
        reset = true;
        ctx.channel().close();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (reset || !(msg instanceof HttpObject obj)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (obj instanceof LastHttpContent) {
            responseDone = true;
        }
        listener.onResponse(obj);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof Http2ResetFrame r && !responseDone && !reset) {
            reset = true;
            listener.onFailure(r.errorCode() == Http2Error.REFUSED_STREAM.code()
                    ? UpstreamFailure.REFUSED_STREAM : UpstreamFailure.REMOTE_RESET);
            return;
        }
        context.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        listener.onWritabilityChanged(context.channel().isWritable());
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        onClose.run();
        if (!responseDone && !reset) {
            reset = true;
            listener.onFailure(UpstreamFailure.CONNECTION_TERMINATION);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }
}
