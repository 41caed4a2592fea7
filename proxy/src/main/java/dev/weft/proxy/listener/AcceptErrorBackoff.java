package dev.weft.proxy.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sits on a listening socket and takes its accept errors (EMFILE, ENFILE, ENOBUFS): it stops accepting for a short
 * back-off that doubles while errors go on, then tries again, so the listener recovers by itself once descriptors
 * are free. The error is counted and logged at most once per back-off; a failure to log (which itself may need a
 * descriptor) is swallowed, because nothing may kill the event loop. One instance per listening socket.
 */
final class AcceptErrorBackoff extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(AcceptErrorBackoff.class.getName());
    static final long FIRST_BACKOFF_MILLIS = 10;
    static final long MAX_BACKOFF_MILLIS = 200;

    private final LongAdder errors;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    private boolean paused;

    AcceptErrorBackoff(LongAdder errors) {
        this.errors = errors;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
        backoffMillis = FIRST_BACKOFF_MILLIS;
        ctx.fireChannelRead(accepted);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors.increment();
        if (paused) {
            return;
        }
        paused = true;
        long wait = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        try {
            LOG.log(Level.WARNING, "accept failed on " + ctx.channel().localAddress() + ", pausing " + wait + " ms: "
                    + cause);
        } catch (Throwable logFailure) {
            // Out of descriptors, logging can fail in any way (an Error from lazily loaded time-zone data, say);
            // the error is counted above and the listener must keep going.
        }
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }, wait, TimeUnit.MILLISECONDS);
    }
}
