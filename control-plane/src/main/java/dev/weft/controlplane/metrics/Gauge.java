package dev.weft.controlplane.metrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A Prometheus gauge family whose values callers set or move, one {@link Series} per label combination. */
final class Gauge extends LabelledFamily<Gauge.Series> {

    /** One labelled value, a double kept as its bits in an {@link AtomicLong}. */
    static final class Series {
        private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));

        void set(double value) {
            bits.set(Double.doubleToLongBits(value));
        }

        void add(double delta) {
            bits.getAndUpdate(b -> Double.doubleToLongBits(Double.longBitsToDouble(b) + delta));
        }

        double value() {
            return Double.longBitsToDouble(bits.get());
        }
    }

    private Gauge(String name, String help, List<String> labelNames) {
        super(name, help, labelNames);
    }

    static Gauge register(MetricRegistry registry, String name, String help, String... labelNames) {
        return registry.register(new Gauge(name, help, List.of(labelNames)));
    }

    @Override
    Series newSeries() {
        return new Series();
    }

    @Override
    public void writeTo(PrometheusText out) {
        writeValues(out, "gauge", Series::value);
    }
}
