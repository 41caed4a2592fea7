package dev.weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Guards against slowloris on HTTP/1: once the first byte of a request arrives, its headers must be complete
 * within the timeout, or the client gets 408 and the connection closes. Sits before the HTTP codec, so it
 * sees raw bytes; the downstream handler tells it when headers were decoded.
 */
final class HeaderReadTimeoutHandler extends ChannelInboundHandlerAdapter {

    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n"
            + "connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private final HttpStats stats;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean inRequest;

    HeaderReadTimeoutHandler(long timeoutNanos, HttpStats stats) {
        this.timeoutNanos = timeoutNanos;
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!inRequest && timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = context.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        context.fireChannelRead(msg);
    }

    void headersReceived() {
        inRequest = true;
        cancel();
    }

    void requestDone() {
        inRequest = false;
    }

    private void expire() {
        timer = null;
        if (inRequest || !ctx.channel().isActive()) {
            return;
        }
        stats.headersTimeouts.increment();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancel();
        context.fireChannelInactive();
    }
}
