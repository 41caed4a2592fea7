package dev.weft.proxy.stats;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram of millisecond values, as Envoy keeps {@code upstream_rq_time}. Values land in log-linear
 * buckets of two significant digits (0..99 exactly, then 100, 110, ... 990, 1000, 1100, ...), which give the
 * quantiles /stats prints; Prometheus gets Envoy's default bucket bounds, counted on the side.
 */
public final class Histogram {

    /** Envoy's default histogram bucket bounds, in milliseconds. */
    static final double[] PROMETHEUS_BOUNDS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
            60000, 300000, 600000, 1800000, 3600000};
    /** Quantiles /stats prints, as Envoy does. */
    static final double[] QUANTILES = {0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1};

    private static final int DECADES = 10;
    private static final int BUCKETS = 100 + (DECADES - 2) * 90;

    private final AtomicLongArray fine = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray prometheus = new AtomicLongArray(PROMETHEUS_BOUNDS.length);
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();

    public void record(long millis) {
        long v = Math.max(0, millis);
        fine.incrementAndGet(bucket(v));
        for (int i = 0; i < PROMETHEUS_BOUNDS.length; i++) {
            if (v <= PROMETHEUS_BOUNDS[i]) {
                prometheus.incrementAndGet(i);
                break;
            }
        }
        count.increment();
        sum.add(v);
    }

    /** 0..99 map to themselves; above, two significant digits: [100,110) is 100, [1000,1100) is 190, ... */
    static int bucket(long v) {
        if (v < 100) {
            return (int) v;
        }
        int decade = 1;
        long scale = 1;
        while (v / scale >= 100 && decade < DECADES - 1) {
            scale *= 10;
            decade++;
        }
        long mantissa = Math.min(99, v / scale);
        return 100 + (decade - 2) * 90 + (int) (mantissa - 10);
    }

    /** The lowest value of a bucket, and the one past its highest. */
    static long lower(int bucket) {
        if (bucket < 100) {
            return bucket;
        }
        int decade = (bucket - 100) / 90 + 2;
        long mantissa = (bucket - 100) % 90 + 10;
        long scale = 1;
        for (int i = 1; i < decade; i++) {
            scale *= 10;
        }
        return mantissa * scale;
    }

    /** A consistent-enough copy for printing (samples recorded meanwhile may or may not be in it). */
    public Snapshot snapshot() {
        long[] f = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            f[i] = fine.get(i);
        }
        long[] p = new long[PROMETHEUS_BOUNDS.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = prometheus.get(i);
        }
        return new Snapshot(f, p, count.sum(), sum.sum());
    }

    /** Counts at one moment: quantiles by interpolation inside a bucket, cumulative Prometheus buckets. */
    public record Snapshot(long[] fine, long[] prometheus, long count, long sum) {

        /** The q-quantile (0..1), or NaN without samples. */
        public double quantile(double q) {
            long total = 0;
            for (long c : fine) {
                total += c;
            }
            if (total == 0) {
                return Double.NaN;
            }
            double rank = q * total;
            long seen = 0;
            for (int b = 0; b < fine.length; b++) {
                if (fine[b] == 0) {
                    continue;
                }
                if (seen + fine[b] >= rank) {
                    double within = (rank - seen) / fine[b];
                    long lo = lower(b);
                    long hi = b + 1 < fine.length ? lower(b + 1) : lo + 1;
                    // Samples are whole milliseconds: a bucket spans lo..hi-1.
                    return lo + within * (hi - 1 - lo);
                }
                seen += fine[b];
            }
            return lower(fine.length - 1);
        }

        /**
         * Envoy's /stats text: {@code P0(a,b) P25(a,b) ... P100(a,b)}, where Envoy's a is the last flush interval and
         * b all time. This proxy has no flush interval, so both are all time; "nan" without samples.
         */
        public String envoyQuantiles() {
            StringBuilder out = new StringBuilder();
            for (double q : QUANTILES) {
                String v = number(quantile(q));
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append('P').append(number(q * 100)).append('(').append(v).append(',').append(v).append(')');
            }
            return out.toString();
        }

        private static String number(double d) {
            if (Double.isNaN(d)) {
                return "nan";
            }
            return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }

        /** Samples at or below each of Envoy's bounds, cumulative as Prometheus wants them. */
        public long[] cumulativeBuckets() {
            long[] out = new long[prometheus.length];
            long running = 0;
            for (int i = 0; i < prometheus.length; i++) {
                running += prometheus[i];
                out[i] = running;
            }
            return out;
        }
    }
}
