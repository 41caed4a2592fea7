package dev.weft.proxy.upstream;

import dev.weft.proxy.tls.UpstreamTls;
import dev.weft.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Opens a pooled connection to a host: TCP within the connect timeout, the idle timer, then the cluster's TLS
 * handshake when it has a transport socket. The future completes once the connection can carry requests; a TLS
 * failure (untrusted certificate, SAN mismatch, no common protocol) fails it like a refused connection (UF).
 * Cancelling the future aborts the connection, whatever stage it is at.
 */
final class UpstreamConnector {

    private UpstreamConnector() {
    }

    /** How a failed {@link #connect} is reported to a waiting request. */
    static UpstreamFailure failure(Throwable cause) {
        return cause instanceof javax.net.ssl.SSLException || cause instanceof TlsNotReady
                ? UpstreamFailure.TLS_FAILURE : UpstreamFailure.CONNECT_FAILURE;
    }

    /** A cluster's TLS context still waits for an SDS secret. */
    private static final class TlsNotReady extends Exception {
        TlsNotReady(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code protocol} adds the HTTP handlers; it runs before the connection is made. */
    static Future<Channel> connect(EventLoop loop, Transport transport, UpstreamCluster cluster,
            Host host, boolean http2, Consumer<ChannelPipeline> protocol) {
        ClusterConfig config = cluster.config();
        UpstreamTls tls = config.tlsFor(host.config());
        Promise<Channel> ready = loop.newPromise();
        if (tls != null && !tls.ready()) {
            cluster.tlsFailures.increment();
            return ready.setFailure(new TlsNotReady("TLS secrets " + tls.missingSecrets() + " not yet received"));
        }
        cluster.connectionsTotal.increment();
        long idleMillis = config.idleTimeout().toMillis();
        Bootstrap b = new Bootstrap().group(loop).channel(transport.channelFor(host.address()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (idleMillis > 0) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
                        }
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.sni().isEmpty()
                                    ? tls.context(http2).newHandler(ch.alloc())
                                    : tls.context(http2).newHandler(ch.alloc(), tls.sni(), host.port()));
                        }
                        protocol.accept(ch.pipeline());
                    }
                });
        if (host.address() instanceof InetSocketAddress) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture tcp = b.connect(transport.connectAddress(host.address()));
        ready.addListener(f -> {
            if (f.isCancelled()) {
                tcp.channel().close();
            }
        });
        tcp.addListener(connected -> {
            Channel ch = tcp.channel();
            if (ready.isDone()) {
                ch.close();
                return;
            }
            if (!connected.isSuccess()) {
                ready.tryFailure(connected.cause());
                return;
            }
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                ready.trySuccess(ch);
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess() && ready.trySuccess(ch)) {
                    cluster.tlsHandshakes.increment();
                } else if (!handshake.isSuccess()) {
                    cluster.tlsFailures.increment();
                    ch.close();
                    ready.tryFailure(handshake.cause());
                } else {
                    ch.close();
                }
            });
        });
        return ready;
    }
}
