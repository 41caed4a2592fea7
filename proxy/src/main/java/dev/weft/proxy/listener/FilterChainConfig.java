package dev.weft.proxy.listener;

import dev.weft.proxy.filter.NetworkFilterFactory;
import dev.weft.proxy.tls.DownstreamTls;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import java.util.List;

/**
 * One filter chain: when it applies, the network filters in front of its terminal one (network RBAC), the terminal
 * network filter that handles its connections, its TLS termination (null for plain text), the config it came from
 * (null when built in code) and its open connections.
 */
record FilterChainConfig(String name, FilterChainMatchSpec match, List<NetworkFilterFactory> readFilters,
        NetworkFilter filter, DownstreamTls tls, FilterChain source, ChainConnections connections) {

    FilterChainConfig {
        readFilters = List.copyOf(readFilters);
    }

    FilterChainConfig(String name, FilterChainMatchSpec match, NetworkFilter filter) {
        this(name, match, List.of(), filter, null, null, new ChainConnections());
    }
}
