package dev.weft.proxy.listener;

import dev.weft.proxy.http.HttpConnectionManagerConfig;
import dev.weft.proxy.tcp.TcpProxyConfig;

/** The terminal network filter of a filter chain. */
sealed interface NetworkFilter {

    record Http(HttpConnectionManagerConfig config) implements NetworkFilter {
    }

    record Tcp(TcpProxyConfig config) implements NetworkFilter {
    }
}
