package dev.weft.proxy.upstream;

import dev.weft.proxy.transport.FlushBatching;
import dev.weft.proxy.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;

/**
 * HTTP/1.1 connections from one event loop to one host: one request at a time per connection, idle ones kept for
 * reuse until their idle timeout. A request that finds no idle connection opens one (within max_connections) or
 * waits (within max_pending_requests); beyond both it fails with overflow. A pool with no connection at all opens
 * one even past max_connections, as Envoy does: otherwise idle connections on other event loops could hold every
 * slot while requests here wait for a slot that is never freed. A cancelled request leaves the queue, and a
 * connection still being opened beyond what the remaining requests need is aborted.
 */
final class Http1ConnectionPool implements ConnectionPool {

    private final EventLoop loop;
    /** Registered with the circuit breaker for a freed connection slot; only touched on {@code loop}. */
    private boolean awaitingConnectionSlot;
    private final UpstreamCluster cluster;
    private final Host host;
    private final Transport transport;
    private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<UpstreamStreamListener> pending = new ArrayDeque<>();
    /** Connections being opened, oldest first. */
    private final ArrayDeque<Future<Channel>> connecting = new ArrayDeque<>();
    /** Connections up, idle or busy. */
    private int connected;
    private boolean closed;

    Http1ConnectionPool(EventLoop loop, UpstreamCluster cluster, Host host, Transport transport) {
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
        Http1Connection c;
        while ((c = idle.pollLast()) != null) {
            if (c.isUsable()) {
                c.attach(listener);
                return PendingStream.NONE;
            }
        }
        if (!cluster.circuitBreakers().tryAcquirePending()) {
            cluster.overflow.increment();
            listener.onFailure(UpstreamFailure.OVERFLOW);
            return PendingStream.NONE;
        }
        cluster.pendingTotal.increment();
        pending.add(listener);
        connectForWaiters();
        return () -> cancel(listener);
    }

    private void cancel(UpstreamStreamListener listener) {
        if (!pending.remove(listener)) {
            return;
        }
        cluster.circuitBreakers().releasePending();
        cluster.cancelled.increment();
        if (connecting.size() > pending.size()) {
            connecting.pollLast().cancel(false);
        }
    }

    /**
     * Opens a connection when requests wait for more connections than are being opened, as far as the
     * circuit breaker allows. Called again whenever a connection goes away, so waiters never starve when a
     * connection retires (max requests per connection) or fails.
     */
    private void connectForWaiters() {
        if (closed || connecting.size() >= pending.size()) {
            return;
        }
        CircuitBreakers breakers = cluster.circuitBreakers();
        if (breakers.tryAcquireConnection()) {
            connect();
            return;
        }
        if (connecting.isEmpty() && connected == 0) {
            breakers.forceAcquireConnection();
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
        int maxRequests = cluster.config().maxRequestsPerConnection();
        Future<Channel> opening = UpstreamConnector.connect(loop, transport, cluster, host, false, p -> {
            FlushBatching.install(p);
            p.addLast(new HttpClientCodec());
            p.addLast(new Http1Connection(this, maxRequests));
        });
        connecting.add(opening);
        opening.addListener(done -> {
            connecting.remove(opening);
            if (done.isCancelled()) {
                cluster.circuitBreakers().releaseConnection();
                connectForWaiters();
            } else if (done.isSuccess()) {
                Channel ch = (Channel) done.getNow();
                Http1Connection conn = ch.pipeline().get(Http1Connection.class);
                connected++;
                ch.closeFuture().addListener(x -> {
                    connected--;
                    cluster.circuitBreakers().releaseConnection();
                    connectForWaiters();
                });
                release(conn);
            } else {
                cluster.circuitBreakers().releaseConnection();
                UpstreamStreamListener waiting = pending.poll();
                if (waiting != null) {
                    cluster.circuitBreakers().releasePending();
                    cluster.pendingFailureEject.increment();
                    cluster.recordConnectFailure(host);
                    waiting.onFailure(UpstreamConnector.failure(done.cause()));
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
