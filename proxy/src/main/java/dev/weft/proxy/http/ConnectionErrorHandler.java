package dev.weft.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The last handler of an HTTP/2 connection: counts a connection-level error and closes, so nothing escapes. */
final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(ConnectionErrorHandler.class.getName());

    private final HttpStats stats;

    ConnectionErrorHandler(HttpStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.protocolErrors.increment();
        LOG.log(Level.FINE, "HTTP/2 connection error", cause);
        ctx.close();
    }
}
