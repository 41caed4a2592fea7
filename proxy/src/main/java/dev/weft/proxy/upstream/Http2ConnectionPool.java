package dev.weft.proxy.upstream;

import dev.weft.proxy.transport.FlushBatching;
import dev.weft.proxy.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;

/**
 * One multiplexed HTTP/2 connection from one event loop to one host; each request is a stream on it. A request
 * that finds no usable connection, or finds it at the server's SETTINGS_MAX_CONCURRENT_STREAMS, waits as pending
 * (within max_pending_requests, else 503 UO) until the connection is up or a stream closes. A connection the server
 * sent GOAWAY on finishes its streams while a new one takes the new requests.
 */
final class Http2ConnectionPool implements ConnectionPool, Http2ClientConnection.Events {

    private final EventLoop loop;
    private final UpstreamCluster cluster;
    private final Host host;
    private final Transport transport;
    private final ArrayDeque<UpstreamStreamListener> pending = new ArrayDeque<>();
    /** The connection new streams go to; null while there is none, or it is going away. */
    private Http2ClientConnection connection;
    private boolean connecting;
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
            listener.onReady(connection.newStream(listener));
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

    private boolean hasStreamCapacity() {
        return connection != null && connection.hasStreamCapacity();
    }

    /**
     * Opens streams for waiters while there is capacity, else makes sure a connection is on its way. The pool's one
     * connection is opened even past max_connections, as Envoy does for a pool with none, so the breaker's limit
     * never strands this loop's waiters.
     */
    private void serveWaiters() {
        while (!pending.isEmpty() && hasStreamCapacity()) {
            cluster.circuitBreakers().releasePending();
            UpstreamStreamListener next = pending.poll();
            next.onReady(connection.newStream(next));
        }
        if (pending.isEmpty() || closed || connecting || connection != null) {
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
            p.addLast(Http2ClientConnection.create(this));
        }).addListener(done -> {
            connecting = false;
            if (done.isSuccess()) {
                Channel ch = (Channel) done.getNow();
                Http2ClientConnection opened = ch.pipeline().get(Http2ClientConnection.class);
                connection = opened;
                ch.closeFuture().addListener(x -> {
                    cluster.circuitBreakers().releaseConnection();
                    if (connection == opened) {
                        connection = null;
                    }
                    serveWaiters();
                });
                if (closed) {
                    ch.close();
                }
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

    @Override
    public void settled(Http2ClientConnection settled) {
        if (settled == connection) {
            serveWaiters();
        }
    }

    @Override
    public void streamEnded(Http2ClientConnection from) {
        if (closed && from.streamsOpen() == 0) {
            from.context().close();
            return;
        }
        if (from == connection) {
            serveWaiters();
        }
    }

    @Override
    public void goingAway(Http2ClientConnection from) {
        if (from == connection) {
            connection = null;
            serveWaiters();
        }
    }

    /** Stops new streams; the connection closes once its open streams finish. */
    @Override
    public void close() {
        closed = true;
        failPending(UpstreamFailure.CONNECTION_TERMINATION);
        if (connection != null && connection.streamsOpen() == 0) {
            connection.context().close();
        }
    }
}
