package dev.weft.proxy.listener;

import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.transport.OriginalDestination;
import dev.weft.proxy.transport.Transport;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Binds listeners and keeps them in step with config, and hands connections of original-destination listeners
 * over to the listener at their original destination. A listener whose address is unchanged gets its new
 * config by an atomic swap: connections accepted later use it, open ones keep theirs. A removed listener stops
 * accepting; its open connections finish on the config they started with.
 */
public final class ListenerManager {

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Transport transport;
    private final ConnectionSetup setup;
    private final DownstreamConnectionLimit connectionLimit;
    private final LongAdder acceptErrors;
    private final Map<String, Bound> listeners = new LinkedHashMap<>();

    private volatile HandOffTable handOffs = HandOffTable.EMPTY;

    /** A listener and its socket; {@code serverChannel} is null for a listener with {@code bind_to_port: false}. */
    private record Bound(AtomicReference<ListenerConfig> config, Channel serverChannel) {

        void close() {
            if (serverChannel != null) {
                serverChannel.close();
            }
        }

        InetSocketAddress address() {
            if (serverChannel != null) {
                return (InetSocketAddress) serverChannel.localAddress();
            }
            ListenerConfig c = config.get();
            return InetSocketAddress.createUnresolved(c.address(), c.port());
        }
    }

    public ListenerManager(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Transport transport,
            Function<EventLoop, WorkerContext> workers, DownstreamConnectionLimit connectionLimit, Stats stats) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.transport = transport;
        this.setup = new ConnectionSetup(workers);
        this.connectionLimit = connectionLimit;
        this.acceptErrors = stats.counter("listener_manager.accept_errors");
    }

    /**
     * Makes the bound listeners match {@code wanted}; returns the listeners that could not be bound. A listener
     * that moves to a new address is bound there before its old socket closes, so a failed bind (port taken,
     * no permission) leaves the old one serving. A listener with {@code bind_to_port: false} opens no socket.
     */
    public synchronized List<ConfigError> update(List<ListenerConfig> wanted) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, ListenerConfig> byName = new LinkedHashMap<>();
        wanted.forEach(l -> byName.put(l.name(), l));
        for (var it = listeners.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!byName.containsKey(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        for (ListenerConfig l : byName.values()) {
            Bound existing = listeners.get(l.name());
            if (existing != null && sameSocket(existing.config().get(), l)) {
                existing.config().set(l);
                continue;
            }
            try {
                Bound bound = l.bindToPort() ? bind(l) : new Bound(new AtomicReference<>(l), null);
                if (existing != null) {
                    existing.close();
                }
                listeners.put(l.name(), bound);
            } catch (Exception e) { // Netty rethrows the checked BindException unchecked
                errors.add(new ConfigError("listener", l.name(), "cannot bind " + l.address() + ":" + l.port() + ": "
                        + e.getMessage()));
            }
        }
        HandOffTable.Builder table = HandOffTable.builder();
        listeners.values().forEach(b -> table.add(b.config().get().address(), b.address().getPort(), b.config()));
        handOffs = table.build();
        return errors;
    }

    /** Port 0 asks for any port, so a listener already bound somewhere satisfies it. */
    private static boolean sameSocket(ListenerConfig now, ListenerConfig next) {
        if (!now.bindToPort() || !next.bindToPort()) {
            return !now.bindToPort() && !next.bindToPort();
        }
        return next.address().equals(now.address()) && (next.port() == now.port() || next.port() == 0);
    }

    private Bound bind(ListenerConfig l) {
        AtomicReference<ListenerConfig> ref = new AtomicReference<>(l);
        ServerBootstrap b = new ServerBootstrap().group(bossGroup, workerGroup).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<ServerChannel>() {
                    @Override
                    protected void initChannel(ServerChannel ch) {
                        ch.pipeline().addLast(new AcceptErrorBackoff(acceptErrors),
                                new ConnectionLimitGate(connectionLimit, ref::get));
                    }
                })
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accept(ch, ref.get());
                    }
                });
        if (l.transparent()) {
            if (!transport.name().equals("epoll")) {
                throw new IllegalStateException("transparent listeners need the epoll transport");
            }
            b.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        Channel server = b.bind(new InetSocketAddress(l.address(), l.port())).syncUninterruptibly().channel();
        return new Bound(ref, server);
    }

    /**
     * A connection accepted by a {@code use_original_dst} listener is served by the listener at its original
     * destination, if there is one; its listener filters and chain match then run as if it had accepted it.
     */
    private void accept(Channel ch, ListenerConfig accepting) {
        ListenerConfig config = accepting;
        if (accepting.useOriginalDst()) {
            InetSocketAddress destination = OriginalDestination.of(ch);
            ch.attr(OriginalDestination.ATTRIBUTE).set(destination);
            if (accepting.handOff()) {
                config = handOffs.target(destination, accepting);
            }
        }
        config.stats().connections().increment();
        if (config.inspectTls() || config.inspectHttp()) {
            ch.pipeline().addLast("inspector", new ProtocolInspector(config, setup));
        } else {
            setup.install(ch, config, "raw_buffer", null, null);
        }
    }

    /**
     * The port a listener serves (useful when the config asked for port 0; the configured port of a listener that
     * does not bind), or -1.
     */
    public synchronized int port(String name) {
        Bound b = listeners.get(name);
        return b == null ? -1 : b.address().getPort();
    }

    public synchronized List<ListenerConfig> active() {
        return listeners.values().stream().map(b -> b.config().get()).toList();
    }

    /** Each listener's address: the bound one, or the configured (unresolved) one of a listener that does not bind. */
    public synchronized Map<String, InetSocketAddress> addresses() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        listeners.forEach((k, v) -> out.put(k, v.address()));
        return out;
    }

    /** Stops accepting on every listener (admin /drain_listeners, shutdown). */
    public synchronized void closeAll() {
        listeners.values().stream().map(Bound::serverChannel).filter(Objects::nonNull)
                .forEach(c -> c.close().syncUninterruptibly());
        listeners.clear();
        handOffs = HandOffTable.EMPTY;
    }
}
