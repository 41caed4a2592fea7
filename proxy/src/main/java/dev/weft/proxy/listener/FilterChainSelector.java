package dev.weft.proxy.listener;

import dev.weft.proxy.matcher.CidrRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Envoy's filter chain choice: criteria are applied in order (destination port, server name, transport protocol,
 * application protocol, source prefix); at each step the chains that name the value explicitly win over the
 * chains that leave the criterion empty. If nothing is left, the default chain (if any) applies.
 */
final class FilterChainSelector {

    private FilterChainSelector() {
    }

    /** What is known about a connection when its chain is chosen. Null fields are unknown. */
    record ConnectionFacts(int destinationPort, InetAddress destination, String serverName, String transportProtocol,
            List<String> applicationProtocols, InetAddress source) {
    }

    static FilterChainConfig select(ListenerConfig listener, ConnectionFacts facts) {
        List<FilterChainConfig> candidates = listener.chains();
        candidates = narrow(candidates, m -> m.destinationPort() == 0,
                m -> m.destinationPort() == facts.destinationPort());
        candidates = narrowToLongestPrefix(candidates, facts.destination(), FilterChainMatchSpec::destinationPrefixes);
        candidates = narrow(candidates, m -> m.serverNames().isEmpty(),
                m -> facts.serverName() != null && matchesServerName(m, facts.serverName()));
        candidates = narrow(candidates, m -> m.transportProtocol().isEmpty(),
                m -> m.transportProtocol().equals(facts.transportProtocol() == null ? "raw_buffer" : facts.transportProtocol()));
        candidates = narrow(candidates, m -> m.applicationProtocols().isEmpty(),
                m -> facts.applicationProtocols() != null
                        && facts.applicationProtocols().stream().anyMatch(m.applicationProtocols()::contains));
        candidates = narrowToLongestPrefix(candidates, facts.source(), FilterChainMatchSpec::sourcePrefixes);
        return candidates.isEmpty() ? listener.defaultChain() : candidates.get(0);
    }

    private static List<FilterChainConfig> narrow(List<FilterChainConfig> in, Predicate<FilterChainMatchSpec> unset,
            Predicate<FilterChainMatchSpec> matches) {
        List<FilterChainConfig> explicit = new ArrayList<>();
        List<FilterChainConfig> open = new ArrayList<>();
        for (FilterChainConfig c : in) {
            if (unset.test(c.match())) {
                open.add(c);
            } else if (matches.test(c.match())) {
                explicit.add(c);
            }
        }
        return explicit.isEmpty() ? open : explicit;
    }

    /**
     * Address ranges: the chains whose range contains the address with the longest prefix win; if none contains
     * it, the chains without ranges stay.
     */
    private static List<FilterChainConfig> narrowToLongestPrefix(List<FilterChainConfig> in, InetAddress address,
            java.util.function.Function<FilterChainMatchSpec, List<CidrRange>> ranges) {
        List<FilterChainConfig> best = new ArrayList<>();
        List<FilterChainConfig> open = new ArrayList<>();
        int bestLength = -1;
        for (FilterChainConfig c : in) {
            List<CidrRange> rs = ranges.apply(c.match());
            if (rs.isEmpty()) {
                open.add(c);
                continue;
            }
            int length = -1;
            for (CidrRange r : rs) {
                if (address != null && r.contains(address)) {
                    length = Math.max(length, r.length());
                }
            }
            if (length > bestLength) {
                bestLength = length;
                best.clear();
            }
            if (length >= 0 && length == bestLength) {
                best.add(c);
            }
        }
        return best.isEmpty() ? open : best;
    }

    /** Exact names first, then the longest "*.suffix" wildcard, as in Envoy. */
    private static boolean matchesServerName(FilterChainMatchSpec m, String sni) {
        if (m.serverNames().contains(sni)) {
            return true;
        }
        for (String name : m.serverNames()) {
            if (name.startsWith("*.") && sni.endsWith(name.substring(1))) {
                return true;
            }
        }
        return false;
    }
}
