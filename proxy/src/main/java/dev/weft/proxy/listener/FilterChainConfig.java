package dev.weft.proxy.listener;

/** One filter chain: when it applies, and the network filter that handles its connections. */
record FilterChainConfig(String name, FilterChainMatchSpec match, NetworkFilter filter) {
}
