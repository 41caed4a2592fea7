package dev.weft.proxy.tracing;

import dev.weft.proxy.stats.Stats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Sends finished spans to one Zipkin collector from a thread of its own: an event loop only offers a span to a
 * bounded queue, and a full queue drops the span (counted in {@code tracing.zipkin.spans_dropped}) rather than
 * holding a request. The thread takes what has queued up as one batch, encodes it and POSTs it to an endpoint of
 * the collector cluster, looked up for every batch so it follows CDS and EDS. Envoy's stats:
 * {@code tracing.zipkin.spans_sent}, {@code reports_sent}, {@code reports_dropped} (the collector answered with an
 * error status), {@code reports_failed} (no answer), {@code reports_skipped_no_cluster}.
 */
final class ZipkinReporter implements AutoCloseable {

    private static final int BATCH = 512;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String cluster;
    private final String endpoint;
    private final Function<String, InetSocketAddress> collectors;
    private final BlockingQueue<FinishedSpan> queue;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final LongAdder spansSent;
    private final LongAdder spansDropped;
    private final LongAdder reportsSent;
    private final LongAdder reportsDropped;
    private final LongAdder reportsFailed;
    private final LongAdder skippedNoCluster;
    private final Thread thread;

    /**
     * @param collectors an endpoint of a cluster by name, or null when the cluster is unknown or has none
     */
    ZipkinReporter(String cluster, String endpoint, Function<String, InetSocketAddress> collectors, Stats stats,
            int capacity) {
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.collectors = collectors;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.spansSent = stats.counter("tracing.zipkin.spans_sent");
        this.spansDropped = stats.counter("tracing.zipkin.spans_dropped");
        this.reportsSent = stats.counter("tracing.zipkin.reports_sent");
        this.reportsDropped = stats.counter("tracing.zipkin.reports_dropped");
        this.reportsFailed = stats.counter("tracing.zipkin.reports_failed");
        this.skippedNoCluster = stats.counter("tracing.zipkin.reports_skipped_no_cluster");
        this.thread = Thread.ofPlatform().daemon().name("weft-zipkin-" + cluster).start(this::run);
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
                queue.drainTo(batch, BATCH - 1);
                send(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // Closing: what is queued is given up, as Envoy's buffer is at shutdown.
        }
    }

    private void send(List<FinishedSpan> batch) throws InterruptedException {
        InetSocketAddress collector = collectors.apply(cluster);
        if (collector == null) {
            skippedNoCluster.increment();
            return;
        }
        String host = collector.getAddress().getHostAddress();
        URI uri = URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + collector.getPort() + endpoint);
        HttpRequest post = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ZipkinJson.encode(batch))).build();
        try {
            int status = client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
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
        client.close();
    }
}
