package dev.weft.controlplane.metrics;

import java.util.List;
import java.util.function.Supplier;

/**
 * A family whose values are read at scrape time (the JVM's memory, the process's CPU time), so keeping them costs
 * nothing between scrapes.
 */
final class SampledMetric implements MetricFamily {

    /** One series: its label values, in the family's label order, and its value now. */
    record Sample(List<String> labelValues, double value) {
    }

    private final String name;
    private final String help;
    private final String type;
    private final List<String> labelNames;
    private final Supplier<List<Sample>> samples;

    private SampledMetric(String name, String help, String type, List<String> labelNames,
            Supplier<List<Sample>> samples) {
        MetricRegistry.checkNames(name, labelNames);
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = List.copyOf(labelNames);
        this.samples = samples;
    }

    static void gauge(MetricRegistry registry, String name, String help, List<String> labelNames,
            Supplier<List<Sample>> samples) {
        registry.register(new SampledMetric(name, help, "gauge", labelNames, samples));
    }

    static void counter(MetricRegistry registry, String name, String help, Supplier<Double> value) {
        registry.register(new SampledMetric(name, help, "counter", List.of(),
                () -> List.of(new Sample(List.of(), value.get()))));
    }

    /** An unlabelled gauge. */
    static void gauge(MetricRegistry registry, String name, String help, Supplier<Double> value) {
        gauge(registry, name, help, List.of(), () -> List.of(new Sample(List.of(), value.get())));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void writeTo(PrometheusText out) {
        List<Sample> now = samples.get();
        if (now.isEmpty()) {
            return;
        }
        out.family(name, help, type);
        now.forEach(s -> out.sample(name, labelNames, s.labelValues(), s.value()));
    }
}
