package dev.weft.proxy.router;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compiled route configuration. Virtual hosts are indexed by domain at config time: exact names in a map,
 * then {@code *.suffix} wildcards and {@code prefix.*} wildcards, longest first, then the {@code *} default.
 */
public final class RouteTable {

    private final String name;
    private final List<VirtualHost> virtualHosts;
    private final Map<String, VirtualHost> exact;
    private final List<Map.Entry<String, VirtualHost>> suffixes;
    private final List<Map.Entry<String, VirtualHost>> prefixes;
    private final VirtualHost fallback;
    private final HeaderMutation requestHeaders;
    private final HeaderMutation responseHeaders;

    RouteTable(String name, List<VirtualHost> virtualHosts, Map<String, VirtualHost> exact,
            List<Map.Entry<String, VirtualHost>> suffixes, List<Map.Entry<String, VirtualHost>> prefixes,
            VirtualHost fallback, HeaderMutation requestHeaders, HeaderMutation responseHeaders) {
        this.name = name;
        this.virtualHosts = List.copyOf(virtualHosts);
        this.exact = Map.copyOf(exact);
        this.suffixes = List.copyOf(suffixes);
        this.prefixes = List.copyOf(prefixes);
        this.fallback = fallback;
        this.requestHeaders = requestHeaders;
        this.responseHeaders = responseHeaders;
    }

    public String name() {
        return name;
    }

    public List<VirtualHost> virtualHosts() {
        return virtualHosts;
    }

    public HeaderMutation requestHeaders() {
        return requestHeaders;
    }

    public HeaderMutation responseHeaders() {
        return responseHeaders;
    }

    /** The virtual host for a Host/:authority value, or null. */
    public VirtualHost virtualHost(String authority) {
        if (authority == null) {
            return fallback;
        }
        String host = authority.toLowerCase(Locale.ROOT);
        VirtualHost vh = exact.get(host);
        if (vh != null) {
            return vh;
        }
        for (Map.Entry<String, VirtualHost> e : suffixes) {
            if (host.endsWith(e.getKey()) && host.length() > e.getKey().length()) {
                return e.getValue();
            }
        }
        for (Map.Entry<String, VirtualHost> e : prefixes) {
            if (host.startsWith(e.getKey()) && host.length() > e.getKey().length()) {
                return e.getValue();
            }
        }
        return fallback;
    }
}
