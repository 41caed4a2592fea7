package dev.weft.proxy.filter.metadataexchange;

import dev.weft.proxy.istio.PeerExchange;
import dev.weft.proxy.istio.WorkloadMetadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One side of Istio's TCP metadata exchange on one connection. Once its TLS handshake chose the exchange's ALPN
 * protocol, it writes this workload's frame before anything else and takes the peer's frame off the front of what
 * the peer sends, so the handlers after it (tcp_proxy) see only the peer's own bytes. Without that protocol, without
 * TLS, when the peer's bytes are not a frame, when the peer half-closes first, or when no whole frame came within
 * {@link #PEER_FRAME_TIMEOUT}, the peer stays unknown and its bytes pass untouched. Reads while it waits for the
 * frame are its own: whoever is after it gets a read it asked for answered or asked again.
 */
final class MetadataExchangeHandler extends ChannelInboundHandlerAdapter {

    /** Istio waits without a bound; a peer that never finishes its frame must not hold the connection's bytes. */
    static final Duration PEER_FRAME_TIMEOUT = Duration.ofSeconds(5);

    private final String protocol;
    private final byte[] localFrame;
    private final Function<Channel, PeerExchange> exchangeOf;
    private final Function<ChannelPipeline, Future<String>> negotiated;
    private PeerExchange exchange;
    private ByteBuf received;
    private ScheduledFuture<?> timeout;

    /** {@code exchangeOf} gives the connection's exchange, where the stats will look for it. */
    MetadataExchangeHandler(String protocol, byte[] localFrame, Function<Channel, PeerExchange> exchangeOf) {
        this(protocol, localFrame, exchangeOf, MetadataExchangeHandler::negotiatedProtocol);
    }

    /** {@code negotiated}: the connection's ALPN protocol once its TLS handshake is done; null without TLS. */
    MetadataExchangeHandler(String protocol, byte[] localFrame, Function<Channel, PeerExchange> exchangeOf,
            Function<ChannelPipeline, Future<String>> negotiated) {
        this.protocol = protocol;
        this.localFrame = localFrame;
        this.exchangeOf = exchangeOf;
        this.negotiated = negotiated;
    }

    private static Future<String> negotiatedProtocol(ChannelPipeline pipeline) {
        SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        Promise<String> protocol = pipeline.channel().eventLoop().newPromise();
        tls.handshakeFuture().addListener(handshake -> {
            if (handshake.isSuccess()) {
                protocol.trySuccess(tls.applicationProtocol() == null ? "" : tls.applicationProtocol());
            } else {
                protocol.tryFailure(handshake.cause());
            }
        });
        return protocol;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        exchange = exchangeOf.apply(ctx.channel());
        Future<String> alpn = negotiated.apply(ctx.pipeline());
        if (alpn == null) {
            finish(ctx, WorkloadMetadata.UNKNOWN);
            return;
        }
        // Upstream, this runs before the handshake, and before tcp_proxy's own listener writes the client's bytes.
        alpn.addListener(done -> {
            if (done.isSuccess() && !ctx.isRemoved()) {
                start(ctx, alpn.getNow());
            }
        });
    }

    private void start(ChannelHandlerContext ctx, String negotiated) {
        if (!protocol.equals(negotiated)) {
            finish(ctx, WorkloadMetadata.UNKNOWN);
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(localFrame));
        received = ctx.alloc().buffer();
        timeout = ctx.executor().schedule(() -> finish(ctx, WorkloadMetadata.UNKNOWN),
                PEER_FRAME_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (received == null || !(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            received.writeBytes(bytes);
        } finally {
            ReferenceCountUtil.release(bytes);
        }
        MetadataExchangeFrame.Read read = MetadataExchangeFrame.read(received);
        if (read.status() == MetadataExchangeFrame.Status.NEED_MORE) {
            ctx.read();
        } else {
            finish(ctx, read.peer());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            finish(ctx, WorkloadMetadata.UNKNOWN);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(ctx, WorkloadMetadata.UNKNOWN);
        ctx.fireChannelInactive();
    }

    /** Settles the exchange, hands on what the peer sent past its frame and leaves the pipeline. */
    private void finish(ChannelHandlerContext ctx, WorkloadMetadata peer) {
        if (ctx.isRemoved()) {
            return;
        }
        exchange.settle(peer);
        ByteBuf rest = received;
        received = null;
        ctx.pipeline().remove(this);
        if (rest == null) {
            return;
        }
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
            ctx.read();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (received != null) {
            received.release();
            received = null;
        }
    }
}
