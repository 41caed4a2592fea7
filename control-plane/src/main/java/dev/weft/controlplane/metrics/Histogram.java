package dev.weft.controlplane.metrics;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram family with fixed bucket bounds (istiod's, per metric). An observation adds to one bucket
 * and to the sum; a scrape adds the buckets up, so {@code _count} always equals the {@code +Inf} bucket.
 */
final class Histogram extends LabelledFamily<Histogram.Series> {

    /** One labelled distribution. */
    final class Series {
        /** Per bucket, not cumulative; the last one is above every bound. */
        private final LongAdder[] buckets = new LongAdder[bounds.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        private Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double value) {
            int bucket = 0;
            while (bucket < bounds.length && value > bounds[bucket]) {
                bucket++;
            }
            buckets[bucket].increment();
            sum.add(value);
        }
    }

    private final double[] bounds;

    private Histogram(String name, String help, double[] bounds, List<String> labelNames) {
        super(name, help, labelNames);
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException(name + ": bucket bounds must increase");
            }
        }
        this.bounds = bounds.clone();
    }

    static Histogram register(MetricRegistry registry, String name, String help, double[] bounds,
            String... labelNames) {
        return registry.register(new Histogram(name, help, bounds, List.of(labelNames)));
    }

    @Override
    Series newSeries() {
        return new Series();
    }

    @Override
    public void writeTo(PrometheusText out) {
        var all = sorted();
        if (all.isEmpty()) {
            return;
        }
        out.family(name(), help(), "histogram");
        List<String> labels = labelNames();
        all.forEach(e -> {
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += e.getValue().buckets[i].sum();
                out.sample(name() + "_bucket", labels, e.getKey(), "le", PrometheusText.number(bounds[i]), cumulative);
            }
            cumulative += e.getValue().buckets[bounds.length].sum();
            out.sample(name() + "_bucket", labels, e.getKey(), "le", "+Inf", cumulative);
            out.sample(name() + "_sum", labels, e.getKey(), e.getValue().sum.sum());
            out.sample(name() + "_count", labels, e.getKey(), cumulative);
        });
    }
}
