package dev.weft.bench;

import java.util.List;

/**
 * Two proxies chained as Istio's sidecars: the client talks to the outbound one ({@code entry}), which forwards to
 * the inbound one (listening on {@code inboundListen}), which forwards to the upstream.
 */
record SidecarPair(ProxyProcess outbound, ProxyProcess inbound, Endpoints entry, Endpoints inboundListen)
        implements AutoCloseable {

    List<ProcessTree> trees() {
        return List.of(outbound.tree(), inbound.tree());
    }

    @Override
    public void close() {
        outbound.close();
        inbound.close();
    }
}
