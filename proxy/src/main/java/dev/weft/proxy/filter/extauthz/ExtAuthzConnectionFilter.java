package dev.weft.proxy.filter.extauthz;

import dev.weft.proxy.matcher.MetadataMatcher;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import dev.weft.proxy.tls.PeerCertificates;
import dev.weft.proxy.transport.OriginalDestination;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * Envoy's network ext_authz filter on one connection: its first bytes start a check of the connection (source,
 * its mTLS principal, destination) with the gRPC service; they and what follows (a half-close too) wait here until
 * the answer. Allowed, or an error with {@code failure_mode_allow}: it all goes on and the handler leaves the
 * pipeline. Denied, or an error: the connection is closed and the bytes dropped. With {@code
 * filter_enabled_metadata} it checks only connections whose dynamic metadata matches (Istio's CUSTOM action over
 * TCP: the network RBAC shadow policy that matched).
 */
final class ExtAuthzConnectionFilter extends ChannelInboundHandlerAdapter {

    /** Envoy's {@code ext_authz.<stat_prefix>.ok|denied|error|disabled|failure_mode_allowed}. */
    record Settings(GrpcAuthzService service, boolean failureModeAllow, MetadataMatcher enabledMetadata,
            LongAdder ok, LongAdder denied, LongAdder error, LongAdder disabled, LongAdder failureModeAllowed) {
    }

    private final Settings settings;
    private final WorkerContext worker;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private AuthzCall call;
    private boolean started;
    private boolean closed;

    ExtAuthzConnectionFilter(Settings settings, WorkerContext worker) {
        this.settings = settings;
        this.worker = worker;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        if (started) {
            return;
        }
        started = true;
        Channel ch = ctx.channel();
        if (settings.enabledMetadata() != null && !settings.enabledMetadata().matches(DynamicMetadata.of(ch))) {
            settings.disabled().increment();
            proceed(ctx);
            return;
        }
        call = settings.service().checkConnection(
                ch.remoteAddress() instanceof InetSocketAddress a ? a : null, PeerCertificates.principal(ch),
                OriginalDestination.destination(ch), worker, result -> decided(ctx, result));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && started) {
            held.add(evt);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void decided(ChannelHandlerContext ctx, AuthzResult result) {
        call = null;
        if (closed) {
            return;
        }
        switch (result) {
            case AuthzResult.Ok ok -> {
                settings.ok().increment();
                proceed(ctx);
            }
            case AuthzResult.Denied denied -> {
                settings.denied().increment();
                ctx.close();
            }
            case AuthzResult.Error error -> {
                settings.error().increment();
                if (settings.failureModeAllow()) {
                    settings.failureModeAllowed().increment();
                    proceed(ctx);
                } else {
                    ctx.close();
                }
            }
        }
    }

    /** Passes on what was held, in order, and leaves the pipeline. */
    private void proceed(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
        Object o;
        while ((o = held.poll()) != null) {
            if (o instanceof ChannelInputShutdownEvent) {
                ctx.fireUserEventTriggered(o);
            } else {
                ctx.fireChannelRead(o);
            }
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (call != null) {
            call.cancel();
            call = null;
        }
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        ctx.fireChannelInactive();
    }
}
