package dev.weft.proxy.listener;

import dev.weft.proxy.tls.DownstreamTls;

/**
 * One filter chain: when it applies, the network filter that handles its connections, and its TLS termination
 * (null for plain text).
 */
record FilterChainConfig(String name, FilterChainMatchSpec match, NetworkFilter filter, DownstreamTls tls) {

    FilterChainConfig(String name, FilterChainMatchSpec match, NetworkFilter filter) {
        this(name, match, filter, null);
    }
}
