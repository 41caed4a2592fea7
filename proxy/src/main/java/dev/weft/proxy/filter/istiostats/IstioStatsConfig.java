package dev.weft.proxy.filter.istiostats;

import dev.weft.proxy.istio.DestinationService;
import java.util.List;

/** One {@code istio.stats} filter's settings: which side reports, and the inbound side's services. */
record IstioStatsConfig(boolean sourceReporter, List<DestinationService> inboundServices) {

    IstioStatsConfig {
        inboundServices = List.copyOf(inboundServices);
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
