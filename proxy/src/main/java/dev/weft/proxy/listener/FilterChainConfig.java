package dev.weft.proxy.listener;

import dev.weft.proxy.tls.DownstreamTls;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;

/**
 * One filter chain: when it applies, the network filter that handles its connections, its TLS termination (null
 * for plain text), the config it came from (null when built in code) and its open connections.
 */
record FilterChainConfig(String name, FilterChainMatchSpec match, NetworkFilter filter, DownstreamTls tls,
        FilterChain source, ChainConnections connections) {

    FilterChainConfig(String name, FilterChainMatchSpec match, NetworkFilter filter) {
        this(name, match, filter, null, null, new ChainConnections());
    }
}
