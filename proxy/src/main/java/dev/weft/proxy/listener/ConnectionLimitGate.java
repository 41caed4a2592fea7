package dev.weft.proxy.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Supplier;

/**
 * Sits on a listening socket, before Netty hands accepted connections to the worker event loops, and closes a
 * connection past the {@link DownstreamConnectionLimit} right there on the accepting thread. Closing it later, on
 * its worker loop, would let a flood of connects hold descriptors faster than the workers give them back.
 */
final class ConnectionLimitGate extends ChannelInboundHandlerAdapter {

    private final DownstreamConnectionLimit limit;
    private final Supplier<ListenerConfig> listener;

    ConnectionLimitGate(DownstreamConnectionLimit limit, Supplier<ListenerConfig> listener) {
        this.limit = limit;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel accepted = (Channel) msg;
        if (!limit.tryAcquire()) {
            listener.get().stats().globalOverflows().increment();
            accepted.unsafe().closeForcibly();
            return;
        }
        accepted.closeFuture().addListener(f -> limit.release());
        ctx.fireChannelRead(accepted);
    }
}
