package dev.weft.proxy.tcp;

import dev.weft.proxy.accesslog.AccessLogContext;
import dev.weft.proxy.accesslog.ConnectionLog;
import dev.weft.proxy.accesslog.AccessLogger;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.streaminfo.ConnectionTermination;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import dev.weft.proxy.streaminfo.ResponseFlag;
import dev.weft.proxy.transport.OriginalDestination;
import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.UpstreamCluster;
import dev.weft.proxy.upstream.UpstreamWorker;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * tcp_proxy: connects each downstream connection to a host of the chosen cluster (with its TLS transport socket,
 * if any, and the cluster's upstream network filters) and relays bytes both ways,
 * reading from one side only while the other can take more. A side that half-closes (FIN) has its half-close
 * carried to the other once what it sent is written there, even if it came before the upstream connection was up;
 * once both directions ended, or either side closed, or no bytes moved either way for the idle timeout, both close. A closed connection is logged with the
 * connection-level operators (in Envoy's default format: "- - -" for the request, code 0, the flags (UF, UO, UH,
 * NC), bytes each way, duration and upstream host).
 */
public final class TcpProxyHandler extends ChannelInboundHandlerAdapter {

    private final TcpProxyConfig config;
    private final WorkerContext worker;
    private final ProxySnapshot snapshot;
    private final UpstreamWorker upstreams;
    private final Set<Host> tried = new HashSet<>(2);
    /** Bytes that arrived before the upstream connection was ready (e.g. peeked by a listener filter). */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>(1);
    private Channel downstream;
    private Channel upstream;
    private UpstreamCluster cluster;
    private int attempts;
    private boolean closed;
    private boolean downstreamEnded;
    private boolean upstreamEnded;
    private Instant startTime;
    private long startNanos;
    private long bytesReceived;
    private long bytesSent;
    private int flags;
    private String upstreamHost;

    public TcpProxyHandler(TcpProxyConfig config, WorkerContext worker) {
        this.config = config;
        this.worker = worker;
        this.snapshot = worker.snapshots().get();
        this.upstreams = worker.upstreams();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        startTime = worker.clock().instant();
        startNanos = worker.ticker().nanos();
        downstream = ctx.channel();
        config.stats().connections.increment();
        config.stats().active.increment();
        downstream.config().setAutoRead(false);
        ctx.pipeline().addBefore(ctx.name(), null, new IdleStateHandler(0, 0, config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        String name = config.clusters().choose(null, upstreams.random());
        cluster = name == null ? null : snapshot.clusters().get(name);
        if (cluster == null) {
            config.stats().noRoute.increment();
            flags |= ResponseFlag.NO_CLUSTER_FOUND.bit();
            closeBoth();
            return;
        }
        connect();
    }

    private void connect() {
        attempts++;
        Host host;
        if (cluster.config().type() == dev.weft.proxy.upstream.ClusterConfig.DiscoveryType.ORIGINAL_DST) {
            var destination = downstream.attr(OriginalDestination.ATTRIBUTE).get();
            host = destination == null ? null : cluster.originalDstHost(destination);
        } else {
            host = upstreams.chooseHost(cluster, null, tried::contains, 3);
        }
        if (host == null) {
            flags |= ResponseFlag.NO_HEALTHY_UPSTREAM.bit();
            closeBoth();
            return;
        }
        tried.add(host);
        upstreamHost = host.label();
        if (!cluster.circuitBreakers().tryAcquireConnection()) {
            cluster.overflowed();
            flags |= ResponseFlag.UPSTREAM_OVERFLOW.bit();
            closeBoth();
            return;
        }
        host.activeRequests().incrementAndGet();
        upstreams.connect(cluster, host, p -> {
            p.channel().config().setAutoRead(false);
            p.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            cluster.config().filters().forEach(f -> p.addLast(f.create(downstream)));
            p.addLast(new Relay());
        }).addListener(f -> {
            if (!f.isSuccess()) {
                host.activeRequests().decrementAndGet();
                cluster.circuitBreakers().releaseConnection();
                cluster.recordConnectFailure(host);
                config.stats().connectFailures.increment();
                if (attempts < config.maxConnectAttempts() && downstream.isActive()) {
                    connect();
                } else {
                    flags |= ResponseFlag.UPSTREAM_CONNECTION_FAILURE.bit();
                    closeBoth();
                }
                return;
            }
            upstream = (Channel) f.getNow();
            List<ConnectionLog> connectionLogs = connectionLogs();
            if (!connectionLogs.isEmpty()) {
                LogView live = new LogView();
                connectionLogs.forEach(l -> l.onUpstreamConnected(downstream, cluster.config().name(), live));
            }
            upstream.closeFuture().addListener(x -> {
                host.activeRequests().decrementAndGet();
                cluster.circuitBreakers().releaseConnection();
                closeBoth();
            });
            if (!downstream.isActive()) {
                upstream.close();
                return;
            }
            ByteBuf buf;
            while ((buf = early.poll()) != null) {
                upstream.write(buf);
            }
            upstream.flush();
            upstream.read();
            if (downstreamEnded) {
                endOutput(upstream);
            } else {
                downstream.read();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        config.stats().receivedBytes.add(buf.readableBytes());
        bytesReceived += buf.readableBytes();
        if (upstream == null) {
            early.add(buf);
            return;
        }
        relay(buf, downstream, upstream);
    }

    private static void relay(ByteBuf buf, Channel from, Channel to) {
        to.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                from.close();
            } else if (to.isWritable()) {
                from.read();
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null) {
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            config.stats().idleTimeouts.increment();
            closeBoth();
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            downstreamEnded = true;
            if (upstreamEnded) {
                closeBoth();
            } else if (upstream != null) {
                endOutput(upstream);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Half-closes {@code to} once everything already relayed to it is written. */
    private void endOutput(Channel to) {
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess() && to instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                closeBoth();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeBoth();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeBoth();
    }

    private void closeBoth() {
        if (closed) {
            return;
        }
        closed = true;
        config.stats().active.decrement();
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        // Flush what was already relayed before closing, so a server's last words reach the client.
        downstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (upstream != null) {
            upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        log();
    }

    private void log() {
        List<ConnectionLog> connectionLogs = connectionLogs();
        if (config.accessLogs().isEmpty() && connectionLogs.isEmpty()) {
            return;
        }
        LogView view = new LogView();
        connectionLogs.forEach(l -> l.onConnectionClosed(downstream, view));
        for (AccessLogger log : config.accessLogs()) {
            log.log(view);
        }
    }

    /** The network filters in front of this one that hear the connection's life (Istio's TCP stats). */
    private List<ConnectionLog> connectionLogs() {
        List<ConnectionLog> logs = new ArrayList<>(1);
        downstream.pipeline().forEach(e -> {
            if (e.getValue() instanceof ConnectionLog l) {
                logs.add(l);
            }
        });
        return logs;
    }

    /** The closed connection as its access log reads it: no request, so no headers, protocol or route, and code 0. */
    private final class LogView implements AccessLogContext {

        @Override
        public Instant startTime() {
            return startTime;
        }

        @Override
        public long durationNanos() {
            return worker.ticker().nanos() - startNanos;
        }

        @Override
        public int responseFlags() {
            return flags;
        }

        @Override
        public String connectionTerminationDetails() {
            return ConnectionTermination.of(downstream);
        }

        @Override
        public long bytesReceived() {
            return bytesReceived;
        }

        @Override
        public long bytesSent() {
            return bytesSent;
        }

        @Override
        public String upstreamHost() {
            return upstreamHost;
        }

        @Override
        public String upstreamCluster() {
            return cluster == null ? null : cluster.name();
        }

        @Override
        public SocketAddress upstreamLocalAddress() {
            return upstream == null ? null : upstream.localAddress();
        }

        @Override
        public Channel downstreamConnection() {
            return downstream;
        }

        @Override
        public DynamicMetadata dynamicMetadata() {
            return DynamicMetadata.of(downstream);
        }
    }

    /** The upstream side: bytes from the host go to the client, with the same flow control. */
    private final class Relay extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            config.stats().sentBytes.add(buf.readableBytes());
            bytesSent += buf.readableBytes();
            relay(buf, ctx.channel(), downstream);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && !downstreamEnded) {
                downstream.read();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                upstreamEnded = true;
                if (downstreamEnded) {
                    closeBoth();
                } else {
                    endOutput(downstream);
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
