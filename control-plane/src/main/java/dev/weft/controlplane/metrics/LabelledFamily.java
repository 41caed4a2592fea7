package dev.weft.controlplane.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * A family whose callers record into one series per label combination. Callers on hot paths look a series up once
 * and keep it; a lookup is a concurrent map read, and only a new label combination allocates.
 *
 * @param <S> a series of this family
 */
abstract class LabelledFamily<S> implements MetricFamily {

    private static final Comparator<List<String>> BY_VALUES = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, S> series = new ConcurrentHashMap<>();

    LabelledFamily(String name, String help, List<String> labelNames) {
        MetricRegistry.checkNames(name, labelNames);
        this.name = name;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
    }

    abstract S newSeries();

    /** The series of these label values, in the order of the family's label names; made on first use. */
    S labels(String... values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + ", not " + Arrays.toString(values));
        }
        return series.computeIfAbsent(List.of(values), v -> newSeries());
    }

    @Override
    public String name() {
        return name;
    }

    String help() {
        return help;
    }

    List<String> labelNames() {
        return labelNames;
    }

    /** The series sorted by label values, so a scrape's output is stable. */
    List<Map.Entry<List<String>, S>> sorted() {
        return series.entrySet().stream().sorted(Map.Entry.comparingByKey(BY_VALUES)).toList();
    }

    /** Writes a family of one value per series (a counter or gauge): nothing while it has no series. */
    void writeValues(PrometheusText out, String type, ToDoubleFunction<S> value) {
        var all = sorted();
        if (all.isEmpty()) {
            return;
        }
        out.family(name, help, type);
        all.forEach(e -> out.sample(name, labelNames, e.getKey(), value.applyAsDouble(e.getValue())));
    }
}
