package dev.weft.proxy.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The proxy's counters and gauges, named as Envoy names them (e.g. {@code cluster.web.upstream_rq_total}).
 * Counters are {@link LongAdder}s: many event loops add without contention; callers keep the handle they get
 * from {@link #counter} so the hot path does no map look-up.
 */
public final class Stats {

    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> gauges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Histogram> histograms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongSupplier> computedGauges = new ConcurrentHashMap<>();

    public LongAdder counter(String name) {
        return counters.computeIfAbsent(name, n -> new LongAdder());
    }

    /** A gauge goes up and down; it is a {@link LongAdder} too, so increments need no lock. */
    public LongAdder gauge(String name) {
        return gauges.computeIfAbsent(name, n -> new LongAdder());
    }

    /**
     * A gauge read from live state when stats are read (e.g. circuit breaker counts), so the request path does
     * nothing for it. A later registration under the same name (a cluster's new version) replaces the earlier one.
     */
    public void computedGauge(String name, LongSupplier value) {
        computedGauges.put(name, value);
    }

    /** A histogram of milliseconds (e.g. {@code cluster.web.upstream_rq_time}). */
    public Histogram histogram(String name) {
        return histograms.computeIfAbsent(name, n -> new Histogram());
    }

    /** Histograms sorted by name. */
    public Map<String, Histogram.Snapshot> histogramSnapshot() {
        Map<String, Histogram.Snapshot> out = new TreeMap<>();
        histograms.forEach((k, v) -> out.put(k, v.snapshot()));
        return out;
    }

    public long value(String name) {
        LongAdder c = counters.get(name);
        if (c != null) {
            return c.sum();
        }
        LongAdder g = gauges.get(name);
        if (g != null) {
            return g.sum();
        }
        LongSupplier computed = computedGauges.get(name);
        return computed == null ? 0 : computed.getAsLong();
    }

    /** Counters sorted by name. */
    public Map<String, Long> counterSnapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Gauges sorted by name. */
    public Map<String, Long> gaugeSnapshot() {
        Map<String, Long> out = new TreeMap<>();
        gauges.forEach((k, v) -> out.put(k, v.sum()));
        computedGauges.forEach((k, v) -> out.put(k, v.getAsLong()));
        return out;
    }
}
