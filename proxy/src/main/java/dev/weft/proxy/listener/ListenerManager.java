package dev.weft.proxy.listener;

import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.tls.SecretLookup;
import dev.weft.proxy.tls.SecretReferences;
import dev.weft.proxy.transport.OriginalDestination;
import dev.weft.proxy.transport.Transport;
import dev.weft.proxy.worker.WorkerContext;
import io.envoyproxy.envoy.config.listener.v3.Listener;
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
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The listeners in force (Envoy's listener manager): compiles them from LDS or the bootstrap, lets a listener that
 * needs RDS routes or SDS secrets not yet known wait (warm) for them while the version it replaces keeps serving,
 * binds the ready ones and keeps them in step with config, and hands connections of original-destination listeners
 * over to the listener at their original destination. A listener whose address is unchanged gets its new config by
 * an atomic swap: connections accepted later use it, open ones keep theirs. A removed listener stops accepting; its
 * open connections finish on the config they started with.
 */
public final class ListenerManager {

    /**
     * How long a TCP connection of a removed or changed filter chain may go on before it is closed (Istio's
     * drain duration); HTTP connections end gracefully at once.
     */
    static final java.time.Duration DRAIN_TIME = java.time.Duration.ofSeconds(45);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Transport transport;
    private final ConnectionSetup setup;
    private final DownstreamConnectionLimit connectionLimit;
    private final LongAdder acceptErrors;
    private final Map<String, Bound> listeners = new LinkedHashMap<>();
    private final ListenerCompiler compiler;
    private final Supplier<SecretLookup> secrets;
    private final Supplier<Set<String>> knownRoutes;
    private final Map<String, ListenerConfig> warming = new LinkedHashMap<>();
    private final Set<String> staticNames = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Listener> protos = Map.of();

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

    /**
     * @param secrets the SDS secrets as they are now, to compile TLS contexts with
     * @param knownRoutes the names of the RDS route tables in force, which warming listeners wait for
     */
    public ListenerManager(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Transport transport,
            Function<EventLoop, WorkerContext> workers, DownstreamConnectionLimit connectionLimit, Stats stats,
            ListenerCompiler compiler, Supplier<SecretLookup> secrets, Supplier<Set<String>> knownRoutes) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.transport = transport;
        this.setup = new ConnectionSetup(workers);
        this.connectionLimit = connectionLimit;
        this.acceptErrors = stats.counter("listener_manager.accept_errors");
        this.compiler = compiler;
        this.secrets = secrets;
        this.knownRoutes = knownRoutes;
    }

    /**
     * Replaces the listener set (state of the world; the bootstrap's static listeners stay in any dynamic one).
     * A listener that fails to compile keeps its last good version.
     */
    public synchronized List<ConfigError> apply(List<Listener> incoming, boolean dynamic) {
        Map<String, Listener> wanted = new LinkedHashMap<>();
        incoming.forEach(p -> wanted.put(p.getName(), p));
        if (dynamic) {
            for (String name : staticNames) {
                Listener l = protos.get(name);
                if (l != null) {
                    wanted.putIfAbsent(name, l);
                }
            }
        }
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Listener> accepted = install(wanted.values(), Set.of(), errors);
        if (!dynamic) {
            incoming.stream().map(Listener::getName).filter(accepted::containsKey).forEach(staticNames::add);
        }
        protos = accepted;
        return errors;
    }

    /** Compiles again the listeners that use one of {@code changedSecrets}; warming ones may now start. */
    public synchronized List<ConfigError> secretsChanged(Set<String> changedSecrets) {
        List<ConfigError> errors = new ArrayList<>();
        protos = install(protos.values(), changedSecrets, errors);
        return errors;
    }

    /** New RDS route tables arrived: listeners warming for them start serving. */
    public synchronized List<ConfigError> routesChanged() {
        List<ListenerConfig> all = new ArrayList<>(active());
        boolean changed = false;
        for (var it = warming.values().iterator(); it.hasNext();) {
            ListenerConfig l = it.next();
            if (l.missingSecrets().isEmpty() && routesKnown(l)) {
                all.add(l);
                it.remove();
                changed = true;
            }
        }
        return changed ? bind(all) : List.of();
    }

    /**
     * Compiles listeners and binds the ready ones. A listener whose proto is unchanged and that uses none of
     * {@code changedSecrets} keeps its compiled config (and its filters' state). Returns the accepted protos.
     */
    private Map<String, Listener> install(Collection<Listener> incoming, Set<String> changedSecrets,
            List<ConfigError> errors) {
        Map<String, ListenerConfig> serving = new LinkedHashMap<>();
        active().forEach(l -> serving.put(l.name(), l));
        Map<String, ListenerConfig> wanted = new LinkedHashMap<>();
        Map<String, Listener> accepted = new LinkedHashMap<>();
        for (Listener p : incoming) {
            String name = p.getName();
            ListenerConfig current = serving.get(name);
            if (current != null && !warming.containsKey(name) && p.equals(protos.get(name))
                    && Collections.disjoint(SecretReferences.of(p), changedSecrets)) {
                wanted.put(name, current);
                accepted.put(name, p);
                continue;
            }
            try {
                wanted.put(name, compiler.compile(p, secrets.get()));
                accepted.put(name, p);
            } catch (ConfigException e) {
                errors.add(new ConfigError("listener", name, e.getMessage()));
                if (current != null) {
                    wanted.put(name, current);
                    accepted.put(name, protos.get(name));
                }
            }
        }
        warming.clear();
        List<ListenerConfig> ready = new ArrayList<>();
        for (ListenerConfig l : wanted.values()) {
            ListenerConfig current = serving.get(l.name());
            if (l.missingSecrets().isEmpty() && (routesKnown(l) || current != null)) {
                ready.add(l);
            } else {
                warming.put(l.name(), l);
                if (current != null) {
                    ready.add(current);
                }
            }
        }
        errors.addAll(bind(ready));
        return accepted;
    }

    private boolean routesKnown(ListenerConfig l) {
        return knownRoutes.get().containsAll(l.rdsNames());
    }

    /** Listeners waiting for routes or secrets. */
    public synchronized List<String> warming() {
        return List.copyOf(warming.keySet());
    }

    /** The SDS secrets that warming listeners wait for. */
    public synchronized List<String> warmingSecrets() {
        return warming.values().stream().flatMap(l -> l.missingSecrets().stream()).distinct().sorted().toList();
    }

    /** The protos in force, for /config_dump; rejected listeners are not here, their last good versions are. */
    public Map<String, Listener> protos() {
        return protos;
    }

    public boolean isStatic(String name) {
        return staticNames.contains(name);
    }

    /**
     * Makes the bound listeners match {@code wanted}; returns the listeners that could not be bound. A listener
     * that moves to a new address is bound there before its old socket closes, so a failed bind (port taken,
     * no permission) leaves the old one serving. A listener with {@code bind_to_port: false} opens no socket.
     */
    private List<ConfigError> bind(List<ListenerConfig> wanted) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, ListenerConfig> byName = new LinkedHashMap<>();
        wanted.forEach(l -> byName.put(l.name(), l));
        for (var it = listeners.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!byName.containsKey(e.getKey())) {
                e.getValue().close();
                drainReplaced(e.getValue().config().get(), null);
                it.remove();
            }
        }
        for (ListenerConfig l : byName.values()) {
            Bound existing = listeners.get(l.name());
            if (existing != null && sameSocket(existing.config().get(), l)) {
                drainReplaced(existing.config().getAndSet(l), l);
                continue;
            }
            try {
                Bound bound = l.bindToPort() ? bind(l) : new Bound(new AtomicReference<>(l), null);
                if (existing != null) {
                    existing.close();
                    drainReplaced(existing.config().get(), l);
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

    /**
     * Drains the connections of {@code old}'s chains that {@code next} (null: none) no longer has as they were;
     * a chain kept unchanged hands its connections to its successor.
     */
    private static void drainReplaced(ListenerConfig old, ListenerConfig next) {
        if (old == next) {
            return;
        }
        Map<io.envoyproxy.envoy.config.listener.v3.FilterChain, FilterChainConfig> kept = new java.util.HashMap<>();
        if (next != null) {
            next.allChains().filter(c -> c.source() != null).forEach(c -> kept.put(c.source(), c));
        }
        old.allChains().forEach(chain -> {
            FilterChainConfig successor = chain.source() == null ? null : kept.get(chain.source());
            if (successor != null) {
                successor.connections().adopt(chain.connections());
            } else {
                chain.connections().drainAll(DRAIN_TIME);
            }
        });
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

    /** Stops accepting on every listener (admin /drain_listeners, shutdown); warming ones never will. */
    public synchronized void closeAll() {
        warming.clear();
        listeners.values().stream().map(Bound::serverChannel).filter(Objects::nonNull)
                .forEach(c -> c.close().syncUninterruptibly());
        listeners.clear();
        handOffs = HandOffTable.EMPTY;
    }
}
