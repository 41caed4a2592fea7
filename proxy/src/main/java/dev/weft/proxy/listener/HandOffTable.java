package dev.weft.proxy.listener;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a connection accepted by a {@code use_original_dst} listener goes, as in Envoy: the listener whose address
 * is exactly the original destination, else a wildcard listener ({@code 0.0.0.0}, {@code ::}) on its port, else
 * the accepting listener itself (its passthrough chains). The accepting listener is never its own target, so a
 * connection that was not redirected still reaches a listener configured at the address it was accepted on. Immutable; rebuilt whenever the listeners change. The
 * entries hold each listener's config reference, so a config swapped at the same address is seen at once.
 */
final class HandOffTable {

    static final HandOffTable EMPTY = new HandOffTable(Map.of());

    private static final InetAddress ANY_IPV4 = NetUtil.createInetAddressFromIpAddressString("0.0.0.0");
    private static final InetAddress ANY_IPV6 = NetUtil.createInetAddressFromIpAddressString("::");

    private record Key(InetAddress address, int port) {
    }

    private final Map<Key, List<AtomicReference<ListenerConfig>>> byAddress;

    private HandOffTable(Map<Key, List<AtomicReference<ListenerConfig>>> byAddress) {
        this.byAddress = Map.copyOf(byAddress);
    }

    static Builder builder() {
        return new Builder();
    }

    ListenerConfig target(InetSocketAddress destination, ListenerConfig accepting) {
        int port = destination.getPort();
        ListenerConfig found = other(new Key(destination.getAddress(), port), accepting);
        if (found == null && destination.getAddress() instanceof Inet4Address) {
            found = other(new Key(ANY_IPV4, port), accepting);
        }
        if (found == null) {
            found = other(new Key(ANY_IPV6, port), accepting);
        }
        return found == null ? accepting : found;
    }

    private ListenerConfig other(Key key, ListenerConfig accepting) {
        for (AtomicReference<ListenerConfig> ref : byAddress.getOrDefault(key, List.of())) {
            ListenerConfig config = ref.get();
            if (!config.name().equals(accepting.name())) {
                return config;
            }
        }
        return null;
    }

    static final class Builder {

        private final Map<Key, List<AtomicReference<ListenerConfig>>> byAddress = new HashMap<>();

        /** Adds a listener at an IP literal; other addresses cannot be an original destination and are skipped. */
        Builder add(String address, int port, AtomicReference<ListenerConfig> config) {
            InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
            if (ip != null) {
                byAddress.computeIfAbsent(new Key(ip, port), k -> new ArrayList<>()).add(config);
            }
            return this;
        }

        HandOffTable build() {
            Map<Key, List<AtomicReference<ListenerConfig>>> frozen = new HashMap<>();
            byAddress.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new HandOffTable(frozen);
        }
    }
}
