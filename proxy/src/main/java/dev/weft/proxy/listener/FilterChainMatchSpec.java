package dev.weft.proxy.listener;

import dev.weft.proxy.matcher.CidrRange;
import java.util.List;
import java.util.Set;

/**
 * The parts of an Envoy {@code filter_chain_match} this proxy selects on. Empty means "any". A destination
 * port of 0 means any port.
 */
record FilterChainMatchSpec(int destinationPort, List<CidrRange> destinationPrefixes, Set<String> serverNames,
        String transportProtocol, Set<String> applicationProtocols, List<CidrRange> sourcePrefixes) {

    FilterChainMatchSpec {
        destinationPrefixes = List.copyOf(destinationPrefixes);
        serverNames = Set.copyOf(serverNames);
        applicationProtocols = Set.copyOf(applicationProtocols);
        sourcePrefixes = List.copyOf(sourcePrefixes);
    }
}
