package dev.weft.proxy.listener;

import dev.weft.proxy.http.HttpServerPipeline;
import dev.weft.proxy.tcp.TcpProxyHandler;
import dev.weft.proxy.transport.FlushBatching;
import dev.weft.proxy.transport.OriginalDestination;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;

/** Chooses a filter chain for a new connection and installs its network filter. */
final class ConnectionSetup {

    private final Function<EventLoop, WorkerContext> workers;

    ConnectionSetup(Function<EventLoop, WorkerContext> workers) {
        this.workers = workers;
    }

    /**
     * Installs the chosen chain's filter (after its TLS handshake, if it terminates TLS), or closes the connection
     * when no chain matches (Envoy's NR) or its chain still waits for a secret.
     */
    void install(Channel ch, ListenerConfig listener, String transport, String serverName, List<String> alpn) {
        InetSocketAddress original = ch.attr(OriginalDestination.ATTRIBUTE).get();
        InetSocketAddress local = original != null ? original : (InetSocketAddress) ch.localAddress();
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        FilterChainConfig chain = FilterChainSelector.select(listener, new FilterChainSelector.ConnectionFacts(
                local.getPort(), local.getAddress(), serverName, transport, alpn, remote == null ? null : remote.getAddress()));
        if (chain == null || (chain.tls() != null && !chain.tls().ready())) {
            ch.close();
            return;
        }
        chain.connections().add(ch);
        if (chain.tls() != null) {
            ch.pipeline().addLast("tls", chain.tls().context().newHandler(ch.alloc()));
            ch.pipeline().addLast("tls-handshake", new DownstreamTlsHandshake(listener.stats(),
                    negotiated -> installFilter(ch, chain, negotiated)));
            return;
        }
        installFilter(ch, chain, "");
    }

    /** {@code negotiated} is the ALPN protocol of a TLS connection, "" for none or plain text. */
    private void installFilter(Channel ch, FilterChainConfig chain, String negotiated) {
        WorkerContext worker = workers.apply(ch.eventLoop());
        chain.readFilters().forEach(f -> ch.pipeline().addLast(f.create(worker)));
        switch (chain.filter()) {
            case NetworkFilter.Http h -> {
                FlushBatching.install(ch.pipeline());
                HttpServerPipeline.install(ch, h.config(), worker, negotiated);
            }
            case NetworkFilter.Tcp t -> {
                // tcp_proxy carries a client's half-close to the upstream instead of closing on it.
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                ch.pipeline().addLast(new TcpProxyHandler(t.config(), worker));
            }
        }
    }
}
