package dev.weft.proxy.filter.istiostats;

import dev.weft.proxy.accesslog.CelExpression;
import dev.weft.proxy.istio.DestinationService;
import dev.weft.proxy.istio.MetricCustomization;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code istio.stats} filter's settings: which side reports, the inbound side's services, Telemetry's changes per
 * metric, the tags it adds with the expressions that compute them ({@code addedTags} sorted, one expression each),
 * and how often an open TCP connection reports its bytes ({@code tcp_reporting_duration}, Istio's 5 s).
 */
record IstioStatsConfig(boolean sourceReporter, List<DestinationService> inboundServices,
        Map<String, MetricCustomization> metrics, String[] addedTags, CelExpression[] tagExpressions,
        Duration tcpReportingInterval) {

    static final Duration DEFAULT_TCP_REPORTING = Duration.ofSeconds(5);

    IstioStatsConfig {
        inboundServices = List.copyOf(inboundServices);
        metrics = Map.copyOf(metrics);
    }

    /** The inbound service the authority names (its host, or its short name), else the first, else unknown. */
    DestinationService inboundService(String authority) {
        if (inboundServices.isEmpty()) {
            return DestinationService.UNKNOWN;
        }
        if (authority != null) {
            int colon = authority.lastIndexOf(':');
            String host = colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
            for (DestinationService s : inboundServices) {
                if (s.host().equals(host) || s.name().equals(host) || host.startsWith(s.name() + "." + s.namespace())) {
                    return s;
                }
            }
        }
        return inboundServices.getFirst();
    }
}
