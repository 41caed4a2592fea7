package dev.weft.proxy.upstream;

import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's hosts before an update (EDS, DNS re-resolution, a changed cluster), by address: an endpoint that is
 * still there gets its old {@link Host} back, with its pools, ejection, health and counts, and its new weight,
 * priority and locality. Each old host is handed out once, so a repeated address makes a second host.
 */
final class KnownHosts {

    private final Map<SocketAddress, Host> byAddress = new HashMap<>();

    KnownHosts(List<Host> previous) {
        for (Host h : previous) {
            byAddress.putIfAbsent(h.address(), h);
        }
    }

    Host take(EndpointConfig endpoint, SocketAddress address) {
        Host known = byAddress.remove(address);
        if (known == null) {
            return new Host(endpoint, address);
        }
        known.updateConfig(endpoint);
        return known;
    }
}
