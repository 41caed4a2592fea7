package dev.weft.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 connections from one event loop to one host: one request at a time per connection, idle ones kept for
 * reuse until their idle timeout. A request that finds no idle connection opens one (within max_connections) or
 * waits (within max_pending_requests); beyond both it fails with overflow.
 */
final class Http1ConnectionPool implements ConnectionPool {

    private final EventLoop loop;
    /** Registered with the circuit breaker for a freed connection slot; only touched on {@code loop}. */
    private boolean awaitingConnectionSlot;
    private final UpstreamCluster cluster;
    private final Host host;
    private final Class<? extends Channel> channelClass;
    private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<UpstreamStreamListener> pending = new ArrayDeque<>();
    private int connecting;
    private boolean closed;

    Http1ConnectionPool(EventLoop loop, UpstreamCluster cluster, Host host, Class<? extends Channel> channelClass) {
        this.loop = loop;
        this.cluster = cluster;
        this.host = host;
        this.channelClass = channelClass;
    }

    @Override
    public void newStream(UpstreamStreamListener listener) {
        Http1Connection c;
        while ((c = idle.pollLast()) != null) {
            if (c.isUsable()) {
                c.attach(listener);
                return;
            }
        }
        if (!cluster.circuitBreakers().tryAcquirePending()) {
            cluster.overflow.increment();
            listener.onFailure(UpstreamFailure.OVERFLOW);
            return;
        }
        pending.add(listener);
        connectForWaiters();
    }

    /**
     * Opens a connection when requests wait for more connections than are being opened, as far as the
     * circuit breaker allows. Called again whenever a connection goes away, so waiters never starve when a
     * connection retires (max requests per connection) or fails.
     */
    private void connectForWaiters() {
        if (closed || connecting >= pending.size()) {
            return;
        }
        CircuitBreakers breakers = cluster.circuitBreakers();
        if (breakers.tryAcquireConnection()) {
            connect();
            return;
        }
        if (!awaitingConnectionSlot) {
            awaitingConnectionSlot = true;
            breakers.awaitConnection(() -> loop.execute(() -> {
                awaitingConnectionSlot = false;
                connectForWaiters();
            }));
            // A slot freed between the failed try and the registration would wake nobody: try once more.
            if (breakers.tryAcquireConnection()) {
                connect();
            }
        }
    }

    private void connect() {
        connecting++;
        ClusterConfig config = cluster.config();
        long idleMillis = config.idleTimeout().toMillis();
        Bootstrap b = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (idleMillis > 0) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new Http1Connection(Http1ConnectionPool.this, config.maxRequestsPerConnection()));
                    }
                });
        ChannelFuture f = b.connect(host.address());
        f.addListener(done -> {
            connecting--;
            if (done.isSuccess()) {
                Http1Connection conn = f.channel().pipeline().get(Http1Connection.class);
                f.channel().closeFuture().addListener(x -> {
                    cluster.circuitBreakers().releaseConnection();
                    connectForWaiters();
                });
                release(conn);
            } else {
                cluster.circuitBreakers().releaseConnection();
                UpstreamStreamListener waiting = pending.poll();
                if (waiting != null) {
                    cluster.circuitBreakers().releasePending();
                    cluster.recordConnectFailure(host);
                    waiting.onFailure(UpstreamFailure.CONNECT_FAILURE);
                }
                connectForWaiters();
            }
        });
    }

    /** A connection finished an exchange cleanly: hand it to a waiting request or keep it idle. */
    void release(Http1Connection conn) {
        if (closed || !conn.isUsable()) {
            conn.close();
            return;
        }
        UpstreamStreamListener waiting = pending.poll();
        if (waiting != null) {
            cluster.circuitBreakers().releasePending();
            conn.attach(waiting);
        } else {
            idle.addLast(conn);
        }
    }

    void removeIdle(Http1Connection conn) {
        idle.remove(conn);
    }

    /** Closes idle connections now and busy ones when their exchange ends. */
    @Override
    public void close() {
        closed = true;
        Http1Connection c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }
}
