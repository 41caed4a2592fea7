package dev.weft.proxy.upstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a DNS cluster's endpoint names into hosts. STRICT_DNS makes one host per resolved address; LOGICAL_DNS
 * keeps only the first address. Hosts whose address did not change keep their live state. Blocking: never call
 * it on an event loop.
 */
public final class DnsResolution {

    private DnsResolution() {
    }

    public static List<Host> resolve(ClusterConfig config, List<Host> previous) {
        KnownHosts known = new KnownHosts(previous);
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
                out.add(known.take(e, new InetSocketAddress(addresses[i], e.port())));
            }
        }
        return out;
    }
}
