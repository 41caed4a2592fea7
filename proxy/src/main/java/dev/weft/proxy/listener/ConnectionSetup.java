package dev.weft.proxy.listener;

import dev.weft.proxy.http.HttpServerPipeline;
import dev.weft.proxy.http.HttpWorkerContext;
import dev.weft.proxy.tcp.TcpProxyHandler;
import dev.weft.proxy.transport.OriginalDestination;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;

/** Chooses a filter chain for a new connection and installs its network filter. */
final class ConnectionSetup {

    private final Function<EventLoop, HttpWorkerContext> workers;
    private final Class<? extends Channel> clientChannel;

    ConnectionSetup(Function<EventLoop, HttpWorkerContext> workers, Class<? extends Channel> clientChannel) {
        this.workers = workers;
        this.clientChannel = clientChannel;
    }

    /** Installs the chosen chain's filter, or closes the connection when no chain matches (Envoy's NR). */
    void install(Channel ch, ListenerConfig listener, String transport, String serverName, List<String> alpn) {
        InetSocketAddress local = (InetSocketAddress) ch.localAddress();
        if (listener.useOriginalDst()) {
            local = OriginalDestination.of(ch);
            ch.attr(OriginalDestination.ATTRIBUTE).set(local);
        }
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        FilterChainConfig chain = FilterChainSelector.select(listener, new FilterChainSelector.ConnectionFacts(
                local.getPort(), local.getAddress(), serverName, transport, alpn, remote == null ? null : remote.getAddress()));
        if (chain == null) {
            ch.close();
            return;
        }
        HttpWorkerContext worker = workers.apply(ch.eventLoop());
        switch (chain.filter()) {
            case NetworkFilter.Http h -> HttpServerPipeline.install(ch, h.config(), worker);
            case NetworkFilter.Tcp t -> ch.pipeline().addLast(new TcpProxyHandler(t.config(), worker.snapshots().get(),
                    worker.upstreams(), clientChannel));
        }
    }
}
