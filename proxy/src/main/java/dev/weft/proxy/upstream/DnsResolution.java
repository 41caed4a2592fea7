package dev.weft.proxy.upstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a DNS cluster's endpoint names into hosts. STRICT_DNS makes one host per resolved address; LOGICAL_DNS
 * keeps only the first address. Hosts whose address did not change keep their live state. Blocking: never call
 * it on an event loop.
 */
public final class DnsResolution {

    private DnsResolution() {
    }

    public static List<Host> resolve(ClusterConfig config, List<Host> previous) {
        Map<SocketAddress, Host> known = new HashMap<>();
        for (Host h : previous) {
            known.put(h.address(), h);
        }
        List<Host> out = new ArrayList<>();
        for (EndpointConfig e : config.endpoints()) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(e.address());
                if (config.ipv4Only()) {
                    addresses = java.util.Arrays.stream(addresses).filter(a -> a instanceof java.net.Inet4Address)
                            .toArray(InetAddress[]::new);
                }
            } catch (UnknownHostException ex) {
                continue;
            }
            int count = config.type() == ClusterConfig.DiscoveryType.LOGICAL_DNS ? Math.min(1, addresses.length)
                    : addresses.length;
            for (int i = 0; i < count; i++) {
                InetSocketAddress a = new InetSocketAddress(addresses[i], e.port());
                Host h = known.get(a);
                out.add(h != null ? h : new Host(e, a));
            }
        }
        return out;
    }
}
