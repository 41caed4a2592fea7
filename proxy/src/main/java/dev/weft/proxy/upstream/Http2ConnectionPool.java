package dev.weft.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/** One multiplexed HTTP/2 (h2c) connection from one event loop to one host; each request is a stream on it. */
final class Http2ConnectionPool implements ConnectionPool {

    private final EventLoop loop;
    private final UpstreamCluster cluster;
    private final Host host;
    private final Class<? extends Channel> channelClass;
    private final ArrayDeque<UpstreamStreamListener> pending = new ArrayDeque<>();
    private Channel connection;
    private boolean connecting;
    private int activeStreams;
    private boolean closed;

    Http2ConnectionPool(EventLoop loop, UpstreamCluster cluster, Host host, Class<? extends Channel> channelClass) {
        this.loop = loop;
        this.cluster = cluster;
        this.host = host;
        this.channelClass = channelClass;
    }

    @Override
    public void newStream(UpstreamStreamListener listener) {
        if (connection != null && connection.isActive()) {
            open(listener);
            return;
        }
        if (!cluster.circuitBreakers().tryAcquirePending()) {
            cluster.overflow.increment();
            listener.onFailure(UpstreamFailure.OVERFLOW);
            return;
        }
        pending.add(listener);
        if (!connecting) {
            if (!cluster.circuitBreakers().tryAcquireConnection()) {
                failPending(UpstreamFailure.OVERFLOW);
                return;
            }
            connect();
        }
    }

    private void connect() {
        connecting = true;
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
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        ch.pipeline().addLast(new IdleCloser());
                    }
                });
        ChannelFuture f = b.connect(host.address());
        f.addListener(done -> {
            connecting = false;
            if (done.isSuccess()) {
                connection = f.channel();
                connection.closeFuture().addListener(x -> {
                    cluster.circuitBreakers().releaseConnection();
                    if (connection == f.channel()) {
                        connection = null;
                    }
                });
                UpstreamStreamListener l;
                while ((l = pending.poll()) != null) {
                    cluster.circuitBreakers().releasePending();
                    open(l);
                }
            } else {
                cluster.circuitBreakers().releaseConnection();
                cluster.recordConnectFailure(host);
                failPending(UpstreamFailure.CONNECT_FAILURE);
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
        }
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

    /** Closes the connection when it has been idle with no open stream for the cluster's idle timeout. */
    private final class IdleCloser extends ChannelInboundHandlerAdapter {
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
