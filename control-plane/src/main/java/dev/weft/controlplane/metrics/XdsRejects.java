package dev.weft.controlplane.metrics;

import dev.weft.controlplane.ads.XdsType;
import io.grpc.Status;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * NACKs, as istiod counts them: {@code pilot_total_xds_rejects} per type, and, for backwards compatibility,
 * {@code pilot_xds_cds_reject}, {@code pilot_xds_eds_reject}, {@code pilot_xds_lds_reject} and
 * {@code pilot_xds_rds_reject}, gauges per rejecting node and gRPC code (Go's name of it: {@code InvalidArgument}).
 * istiod has no SDS gauge; SDS rejects count in the total only.
 */
final class XdsRejects {

    private final Map<XdsType, Counter.Series> totals = new EnumMap<>(XdsType.class);
    private final Map<XdsType, Gauge> perNode = new EnumMap<>(XdsType.class);

    XdsRejects(MetricRegistry registry) {
        Counter total = Counter.register(registry, "pilot_total_xds_rejects",
                "Total number of XDS responses from pilot rejected by proxy.", "type");
        for (XdsType type : XdsType.values()) {
            totals.put(type, total.labels(XdsResponses.metricType(type)));
        }
        perNode.put(XdsType.CLUSTER, Gauge.register(registry, "pilot_xds_cds_reject",
                "Pilot rejected CDS configs.", "node", "err"));
        perNode.put(XdsType.ENDPOINT, Gauge.register(registry, "pilot_xds_eds_reject",
                "Pilot rejected EDS.", "node", "err"));
        perNode.put(XdsType.LISTENER, Gauge.register(registry, "pilot_xds_lds_reject",
                "Pilot rejected LDS.", "node", "err"));
        perNode.put(XdsType.ROUTE, Gauge.register(registry, "pilot_xds_rds_reject",
                "Pilot rejected RDS.", "node", "err"));
    }

    void rejected(XdsType type, String nodeId, int code) {
        totals.get(type).inc();
        Gauge gauge = perNode.get(type);
        if (gauge != null) {
            gauge.labels(nodeId, goCodeName(code)).add(1);
        }
    }

    /** grpc-go's {@code codes.Code.String()}: {@code InvalidArgument}, {@code Canceled}, {@code Code(42)}. */
    static String goCodeName(int code) {
        Status.Code known = Status.fromCodeValue(code).getCode();
        if (known.value() != code) {
            return "Code(" + code + ")";
        }
        if (known == Status.Code.CANCELLED) {
            return "Canceled";
        }
        StringBuilder name = new StringBuilder();
        for (String word : known.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
