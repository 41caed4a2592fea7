package dev.weft.controlplane.metrics;

import dev.weft.controlplane.ads.XdsType;
import java.util.EnumMap;
import java.util.Map;

/**
 * istiod's metrics of the responses it sends: {@code pilot_xds_pushes} per type ({@code cds}, ... and
 * {@code cds_senderr}, ... when gRPC refused the write), {@code pilot_xds_push_time} per type,
 * {@code pilot_xds_config_size_bytes} per type URL (istiod labels it with the full URL) and
 * {@code pilot_total_xds_internal_errors} (generation failures). Series are looked up once, so a response costs a few
 * adder increments.
 */
final class XdsResponses {

    private static final double[] PUSH_TIME_BOUNDS = {.01, .1, 1, 3, 5, 10, 20, 30};
    /** istiod's: 10 KB, 1 MB, gRPC's default 4 MB limit, 10 MB strains the system, 40 MB about the most it takes. */
    private static final double[] CONFIG_SIZE_BOUNDS = {1, 10_000, 1_000_000, 4_000_000, 10_000_000, 40_000_000};

    /** What one type's responses count into. */
    private record TypeSeries(Counter.Series pushes, Counter.Series sendErrors, Histogram.Series pushTime,
            Histogram.Series configSize) {
    }

    private final Map<XdsType, TypeSeries> byType = new EnumMap<>(XdsType.class);
    private final Counter.Series internalErrors;

    XdsResponses(MetricRegistry registry) {
        Counter pushes = Counter.register(registry, "pilot_xds_pushes",
                "Pilot build and send errors for lds, rds, cds and eds.", "type");
        Histogram pushTime = Histogram.register(registry, "pilot_xds_push_time",
                "Total time in seconds Pilot takes to push lds, rds, cds and eds.", PUSH_TIME_BOUNDS, "type");
        Histogram configSize = Histogram.register(registry, "pilot_xds_config_size_bytes",
                "Distribution of configuration sizes pushed to clients", CONFIG_SIZE_BOUNDS, "type");
        internalErrors = Counter.register(registry, "pilot_total_xds_internal_errors",
                "Total number of internal XDS errors in pilot.").labels();
        for (XdsType type : XdsType.values()) {
            String metricType = metricType(type);
            byType.put(type, new TypeSeries(pushes.labels(metricType), pushes.labels(metricType + "_senderr"),
                    pushTime.labels(metricType), configSize.labels(type.typeUrl())));
        }
    }

    /** istiod's name of a type in metric labels: {@code cds}, {@code eds}, {@code lds}, {@code rds}, {@code sds}. */
    static String metricType(XdsType type) {
        return type.shortName().toLowerCase(java.util.Locale.ROOT);
    }

    /** As istiod, a push counts whether or not its write failed, and a failed one counts as a send error too. */
    void sent(XdsType type, long bytes, long nanos, boolean failed) {
        TypeSeries series = byType.get(type);
        series.pushes().inc();
        series.pushTime().observe(nanos / 1e9);
        series.configSize().observe(bytes);
        if (failed) {
            series.sendErrors().inc();
        }
    }

    void generationFailed() {
        internalErrors.inc();
    }
}
