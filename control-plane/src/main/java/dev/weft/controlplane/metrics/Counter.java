package dev.weft.controlplane.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus counter family: whole counts that only go up, one {@link Series} per label combination. */
final class Counter extends LabelledFamily<Counter.Series> {

    /** One labelled count; adding is a {@link LongAdder} increment, so contended callers do not wait. */
    static final class Series {
        private final LongAdder count = new LongAdder();

        void inc() {
            count.increment();
        }

        void add(long n) {
            count.add(n);
        }

        long value() {
            return count.sum();
        }
    }

    private Counter(String name, String help, List<String> labelNames) {
        super(name, help, labelNames);
    }

    static Counter register(MetricRegistry registry, String name, String help, String... labelNames) {
        return registry.register(new Counter(name, help, List.of(labelNames)));
    }

    @Override
    Series newSeries() {
        return new Series();
    }

    @Override
    public void writeTo(PrometheusText out) {
        writeValues(out, "counter", Series::value);
    }
}
