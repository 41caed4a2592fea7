package dev.weft.proxy.tracing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** How one tracer's collector takes a batch of spans; called on its reporter's thread only. */
interface SpanExporter extends AutoCloseable {

    /**
     * Sends the batch to the collector at that address.
     *
     * @return whether the collector accepted it
     * @throws IOException when the collector could not be reached or did not answer
     */
    boolean export(List<FinishedSpan> batch, InetSocketAddress collector) throws IOException, InterruptedException;

    @Override
    void close();
}
