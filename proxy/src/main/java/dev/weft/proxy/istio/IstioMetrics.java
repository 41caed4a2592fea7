package dev.weft.proxy.istio;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A proxy's Istio standard metrics, HTTP and TCP. Each event loop counts into its own table, without a lock and, once a label set
 * has been seen, without allocating; a scrape asks every loop for a copy of its table and folds them. A loop keeps at
 * most {@link #MAX_SERIES_PER_LOOP} label sets: peers name themselves in a header, so a hostile client could
 * otherwise grow the table without end; what does not fit is counted in {@link #droppedRequests()}.
 */
public final class IstioMetrics {

    static final int MAX_SERIES_PER_LOOP = 10_000;
    private static final long SCRAPE_WAIT_SECONDS = 5;

    private final WorkloadMetadata local;
    private final List<Table> tables = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Table> tableOfThisLoop = new FastThreadLocal<>();
    private final LongAdder dropped = new LongAdder();
    /** Telemetry's customizations per metric, for the source and the destination reporter; set at config time. */
    private volatile Map<String, MetricCustomization> sourceCustomizations = Map.of();
    private volatile Map<String, MetricCustomization> destinationCustomizations = Map.of();

    private final String localHeader;

    public IstioMetrics(WorkloadMetadata local) {
        this.local = local;
        this.localHeader = local.toHeader();
    }

    public WorkloadMetadata local() {
        return local;
    }

    /** The proxy's own workload as the peer metadata header carries it. */
    public String localHeader() {
        return localHeader;
    }

    /**
     * What Telemetry changes in the metrics one reporter renders. Every filter of a direction gets the same overrides
     * from weftd, so the latest config speaks for all of them.
     */
    public void customize(boolean sourceReporter, Map<String, MetricCustomization> byMetric) {
        if (sourceReporter) {
            sourceCustomizations = Map.copyOf(byMetric);
        } else {
            destinationCustomizations = Map.copyOf(byMetric);
        }
    }

    Map<String, MetricCustomization> customizations(boolean sourceReporter) {
        return sourceReporter ? sourceCustomizations : destinationCustomizations;
    }

    /** Requests not counted because their loop's table was full. */
    public long droppedRequests() {
        return dropped.sum();
    }

    /** Counts one finished request on {@code loop}, the calling thread; {@code labels} is only read. */
    public void record(EventExecutor loop, RequestLabels labels, double durationMillis, long requestBytes,
            long responseBytes) {
        RequestSeries series = series(loop, labels);
        if (series != null) {
            series.record(durationMillis, requestBytes, responseBytes);
        }
    }

    /** Adds a gRPC request's messages each way to the series its {@link #record} counted it in. */
    public void recordGrpcMessages(EventExecutor loop, RequestLabels labels, long requestMessages,
            long responseMessages) {
        RequestSeries series = series(loop, labels);
        if (series != null) {
            series.requestMessages += requestMessages;
            series.responseMessages += responseMessages;
        }
    }

    /** Counts a TCP connection whose upstream is up, under {@code labels} (protocol TCP). */
    public void recordTcpOpened(EventExecutor loop, RequestLabels labels) {
        RequestSeries series = series(loop, labels);
        if (series != null) {
            series.tcpOpened++;
        }
    }

    /** Counts a TCP connection that ended and the bytes it carried each way since its last report. */
    public void recordTcpClosed(EventExecutor loop, RequestLabels labels, long sentBytes, long receivedBytes) {
        RequestSeries series = series(loop, labels);
        if (series != null) {
            series.tcpClosed++;
            series.tcpSentBytes += sentBytes;
            series.tcpReceivedBytes += receivedBytes;
        }
    }

    /** Counts the bytes an open TCP connection carried each way since its last report. */
    public void recordTcpBytes(EventExecutor loop, RequestLabels labels, long sentBytes, long receivedBytes) {
        RequestSeries series = series(loop, labels);
        if (series != null) {
            series.tcpSentBytes += sentBytes;
            series.tcpReceivedBytes += receivedBytes;
        }
    }

    /** The loop's series for {@code labels}, made on first use; null when the loop's table is full. */
    private RequestSeries series(EventExecutor loop, RequestLabels labels) {
        Table table = tableOfThisLoop.getIfExists();
        if (table == null) {
            table = new Table(loop);
            tableOfThisLoop.set(table);
            tables.add(table);
        }
        RequestSeries series = table.series.get(labels);
        if (series == null) {
            if (table.series.size() >= MAX_SERIES_PER_LOOP) {
                dropped.increment();
                return null;
            }
            series = new RequestSeries();
            table.series.put(labels.copy(), series);
        }
        return series;
    }

    /** Every loop's series, folded; each loop copies its own table so nothing is read while it is written. */
    Map<RequestLabels, RequestSeries> snapshot() {
        Map<RequestLabels, RequestSeries> folded = new HashMap<>();
        List<Future<Map<RequestLabels, RequestSeries>>> copies = new ArrayList<>();
        for (Table t : tables) {
            // The admin may share a loop with the traffic: a loop copies its own table at once, not via its queue.
            copies.add(t.loop.inEventLoop() ? t.loop.newSucceededFuture(t.copy()) : t.loop.submit(t::copy));
        }
        for (Future<Map<RequestLabels, RequestSeries>> copy : copies) {
            try {
                copy.get(SCRAPE_WAIT_SECONDS, TimeUnit.SECONDS).forEach((labels, series) ->
                        folded.computeIfAbsent(labels, l -> new RequestSeries()).add(series));
            } catch (ExecutionException | TimeoutException e) {
                // A loop that cannot answer (shut down, stuck) is left out of this scrape.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return folded;
    }

    /** One event loop's series. */
    private static final class Table {

        private final EventExecutor loop;
        private final Map<RequestLabels, RequestSeries> series = new HashMap<>();

        Table(EventExecutor loop) {
            this.loop = loop;
        }

        Map<RequestLabels, RequestSeries> copy() {
            Map<RequestLabels, RequestSeries> c = new HashMap<>();
            series.forEach((k, v) -> c.put(k, v.copy()));
            return c;
        }
    }
}
