package dev.weft.proxy.tracing;

import dev.weft.proxy.stats.Stats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Sends finished spans to one collector from a thread of its own: an event loop only offers a span to a bounded
 * queue, and a full queue drops the span (counted in {@code tracing.<tracer>.spans_dropped}) rather than holding a
 * request. The thread gathers a batch (enough spans, or a second's worth) and has the exporter send it to an endpoint of the
 * collector cluster, looked up for every batch so it follows CDS and EDS. Stats, as Envoy's:
 * {@code tracing.<tracer>.spans_sent}, {@code reports_sent}, {@code reports_dropped} (the collector refused the
 * batch), {@code reports_failed} (no answer), {@code reports_skipped_no_cluster}.
 */
final class SpanReporter implements AutoCloseable {

    private static final int BATCH = 512;
    /**
     * A batch waits for this many spans or {@link #FLUSH_INTERVAL_NANOS}, whichever comes first, as Envoy's Zipkin
     * tracer waits for {@code min_flush_spans} or its flush interval: one POST per span would cost more than the
     * spans themselves (at 100 % sampling, a POST per request).
     */
    private static final int MIN_FLUSH_SPANS = 64;
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    private final String cluster;
    private final SpanExporter exporter;
    private final Function<String, InetSocketAddress> collectors;
    private final BlockingQueue<FinishedSpan> queue;
    private final LongAdder spansSent;
    private final LongAdder spansDropped;
    private final LongAdder reportsSent;
    private final LongAdder reportsDropped;
    private final LongAdder reportsFailed;
    private final LongAdder skippedNoCluster;
    private final Thread thread;

    /**
     * @param tracer the stats' name for the tracer: {@code zipkin}, {@code opentelemetry}
     * @param collectors an endpoint of a cluster by name, or null when the cluster is unknown or has none
     */
    SpanReporter(String tracer, String cluster, SpanExporter exporter, Function<String, InetSocketAddress> collectors,
            Stats stats, int capacity) {
        this.cluster = cluster;
        this.exporter = exporter;
        this.collectors = collectors;
        this.queue = new ArrayBlockingQueue<>(capacity);
        String prefix = "tracing." + tracer + ".";
        this.spansSent = stats.counter(prefix + "spans_sent");
        this.spansDropped = stats.counter(prefix + "spans_dropped");
        this.reportsSent = stats.counter(prefix + "reports_sent");
        this.reportsDropped = stats.counter(prefix + "reports_dropped");
        this.reportsFailed = stats.counter(prefix + "reports_failed");
        this.skippedNoCluster = stats.counter(prefix + "reports_skipped_no_cluster");
        this.thread = Thread.ofPlatform().daemon().name("weft-" + tracer + "-" + cluster).start(this::run);
    }

    /** Queues a span; never blocks. */
    void report(FinishedSpan span) {
        if (!queue.offer(span)) {
            spansDropped.increment();
        }
    }

    private void run() {
        List<FinishedSpan> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                batch.add(queue.take());
                long deadline = System.nanoTime() + FLUSH_INTERVAL_NANOS;
                while (batch.size() < MIN_FLUSH_SPANS) {
                    FinishedSpan next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                queue.drainTo(batch, BATCH - batch.size());
                send(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // Closing: what is queued is given up, as Envoy's buffer is at shutdown.
        } finally {
            exporter.close();
        }
    }

    private void send(List<FinishedSpan> batch) throws InterruptedException {
        InetSocketAddress collector = collectors.apply(cluster);
        if (collector == null) {
            skippedNoCluster.increment();
            return;
        }
        try {
            if (exporter.export(batch, collector)) {
                reportsSent.increment();
                spansSent.add(batch.size());
            } else {
                reportsDropped.increment();
            }
        } catch (IOException e) {
            reportsFailed.increment();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
