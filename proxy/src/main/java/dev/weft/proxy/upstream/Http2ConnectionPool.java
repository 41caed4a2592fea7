package dev.weft.proxy.upstream;

import dev.weft.proxy.transport.FlushBatching;
import dev.weft.proxy.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One multiplexed HTTP/2 connection from one event loop to one host; each request is a stream on it. A request
 * that finds no usable connection, or finds it at the server's SETTINGS_MAX_CONCURRENT_STREAMS, waits as pending
 * (within max_pending_requests, else 503 UO) until the connection is up or a stream closes.
 */
final class Http2ConnectionPool implements ConnectionPool {

    private final EventLoop loop;
    private final UpstreamCluster cluster;
    private final Host host;
    private final Transport transport;
    private final ArrayDeque<UpstreamStreamListener> pending = new ArrayDeque<>();
    private Channel connection;
    private ConnectionEvents connectionEvents;
    private boolean connecting;
    private int activeStreams;
    private boolean closed;

    Http2ConnectionPool(EventLoop loop, UpstreamCluster cluster, Host host, Transport transport) {
        this.loop = loop;
        this.cluster = cluster;
        this.host = host;
        this.transport = transport;
    }

    @Override
    public UpstreamCluster cluster() {
        return cluster;
    }

    @Override
    public PendingStream newStream(UpstreamStreamListener listener) {
        if (pending.isEmpty() && hasStreamCapacity()) {
            open(listener);
            return PendingStream.NONE;
        }
        if (!cluster.circuitBreakers().tryAcquirePending()) {
            cluster.overflow.increment();
            listener.onFailure(UpstreamFailure.OVERFLOW);
            return PendingStream.NONE;
        }
        cluster.pendingTotal.increment();
        pending.add(listener);
        serveWaiters();
        return () -> {
            // The pool's one connection stays on its way: it is shared by every request of this loop.
            if (pending.remove(listener)) {
                cluster.circuitBreakers().releasePending();
                cluster.cancelled.increment();
            }
        };
    }

    private boolean usable() {
        return connection != null && connection.isActive() && connectionEvents != null && connectionEvents.settled;
    }

    /** The server's concurrent stream limit as the codec tracks it (Integer.MAX_VALUE until it says one). */
    private boolean hasStreamCapacity() {
        if (!usable()) {
            return false;
        }
        Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
        return codec == null || activeStreams < codec.connection().local().maxActiveStreams();
    }

    /**
     * Opens streams for waiters while there is capacity, else makes sure a connection is on its way. The pool's one
     * connection is opened even past max_connections, as Envoy does for a pool with none, so the breaker's limit
     * never strands this loop's waiters.
     */
    private void serveWaiters() {
        while (!pending.isEmpty() && hasStreamCapacity()) {
            cluster.circuitBreakers().releasePending();
            open(pending.poll());
        }
        if (pending.isEmpty() || closed || connecting || (connection != null && connection.isActive())) {
            return;
        }
        if (!cluster.circuitBreakers().tryAcquireConnection()) {
            cluster.circuitBreakers().forceAcquireConnection();
        }
        connect();
    }

    private void connect() {
        connecting = true;
        UpstreamConnector.connect(loop, transport, cluster, host, true, p -> {
            FlushBatching.install(p);
            p.addLast(Http2FrameCodecBuilder.forClient().build());
            p.addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
            p.addLast(new ConnectionEvents());
        }).addListener(done -> {
            connecting = false;
            if (done.isSuccess()) {
                Channel ch = (Channel) done.getNow();
                connection = ch;
                connectionEvents = ch.pipeline().get(ConnectionEvents.class);
                ch.closeFuture().addListener(x -> {
                    cluster.circuitBreakers().releaseConnection();
                    if (connection == ch) {
                        connection = null;
                    }
                    serveWaiters();
                });
                serveWaiters();
            } else {
                cluster.circuitBreakers().releaseConnection();
                cluster.recordConnectFailure(host);
                cluster.pendingFailureEject.add(pending.size());
                failPending(UpstreamConnector.failure(done.cause()));
            }
        });
    }

    private void failPending(UpstreamFailure failure) {
        UpstreamStreamListener l;
        while ((l = pending.poll()) != null) {
            cluster.circuitBreakers().releasePending();
            l.onFailure(failure);
        }
    }

    private void open(UpstreamStreamListener listener) {
        activeStreams++;
        Http2UpstreamStream stream = new Http2UpstreamStream(listener, this::streamClosed);
        new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false, true));
                        ch.pipeline().addLast(stream);
                    }
                })
                .open()
                .addListener(f -> {
                    if (f.isSuccess()) {
                        listener.onReady(stream);
                    } else {
                        activeStreams--;
                        listener.onFailure(UpstreamFailure.CONNECTION_TERMINATION);
                    }
                });
    }

    private void streamClosed() {
        activeStreams--;
        if (closed && activeStreams == 0 && connection != null) {
            connection.close();
            return;
        }
        serveWaiters();
    }

    /** Stops new streams; the connection closes once its open streams finish. */
    @Override
    public void close() {
        closed = true;
        failPending(UpstreamFailure.CONNECTION_TERMINATION);
        if (connection != null && activeStreams == 0) {
            connection.close();
        }
    }

    /**
     * Streams wait for the server's first SETTINGS, so they never exceed a stream limit they could not know yet;
     * the connection closes when it has been idle with no open stream for the cluster's idle timeout.
     */
    private final class ConnectionEvents extends ChannelInboundHandlerAdapter {

        /** Whether the server's SETTINGS, and so its stream limit, arrived. */
        private boolean settled;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame && !settled) {
                settled = true;
                if (ctx.channel() == connection) {
                    serveWaiters();
                }
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && activeStreams == 0) {
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
