package dev.weft.proxy.istio;

import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one connection learns of its peer workload through Istio's TCP metadata exchange, kept on the downstream
 * connection: the client's, when this proxy is the server side ({@link #DOWNSTREAM}), or the server's, learnt on
 * tcp_proxy's upstream connection ({@link #UPSTREAM}). It is pending until the peer's frame arrives or the exchange
 * ends without one ({@link WorkloadMetadata#UNKNOWN}). Confined to the connection's event loop.
 */
public final class PeerExchange {

    public static final AttributeKey<PeerExchange> DOWNSTREAM = AttributeKey.valueOf("weft.istio.downstream_peer");
    public static final AttributeKey<PeerExchange> UPSTREAM = AttributeKey.valueOf("weft.istio.upstream_peer");

    private WorkloadMetadata peer;
    private List<Consumer<WorkloadMetadata>> waiting = new ArrayList<>(1);

    /** The exchange's outcome; only the first counts. */
    public void settle(WorkloadMetadata outcome) {
        if (peer != null) {
            return;
        }
        peer = outcome;
        List<Consumer<WorkloadMetadata>> ready = waiting;
        waiting = null;
        ready.forEach(c -> c.accept(outcome));
    }

    /** Runs {@code action} with the peer once it is known: now, if it is. */
    public void whenSettled(Consumer<WorkloadMetadata> action) {
        if (peer != null) {
            action.accept(peer);
        } else {
            waiting.add(action);
        }
    }

    /** The peer, or unknown when the exchange is still pending: it ends now, for a connection that ended first. */
    public WorkloadMetadata conclude() {
        settle(WorkloadMetadata.UNKNOWN);
        return peer;
    }
}
