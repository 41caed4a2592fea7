package dev.weft.proxy.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Flushes an HTTP connection once per pass of its event loop instead of once per message (Netty's
 * {@link FlushConsolidationHandler}): a response's head and body, the responses of several streams and what several
 * upstream reads produced in one pass leave in one write. Behind TLS it sits on the application side of the TLS
 * handler, so the messages of one flush are sealed into one TLS record instead of one record each.
 */
public final class FlushBatching {

    static final String NAME = "flush-batching";
    /** The TLS handler's name in the proxy's pipelines, downstream and upstream. */
    private static final String TLS = "tls";

    private FlushBatching() {
    }

    /** Installs the batching in a connection's pipeline, right after its TLS handler if it has one. */
    public static void install(ChannelPipeline pipeline) {
        // Flushes during a read of the channel itself wait for the read to complete; others for the pass's end.
        FlushConsolidationHandler batching = new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
        if (pipeline.get(TLS) != null) {
            pipeline.addAfter(TLS, NAME, batching);
        } else {
            pipeline.addFirst(NAME, batching);
        }
    }
}
