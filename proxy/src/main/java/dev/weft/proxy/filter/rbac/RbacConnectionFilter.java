package dev.weft.proxy.filter.rbac;

import dev.weft.proxy.streaminfo.ConnectionTermination;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.tls.PeerCertificates;
import dev.weft.proxy.transport.OriginalDestination;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Envoy's network RBAC filter on one connection: when the first bytes arrive, the connection's facts (addresses,
 * the TLS peer's principal, the SNI) are checked; a denied connection is closed and its bytes dropped, so nothing
 * reaches the filters behind it, and its access log names the policy in the connection termination details. With {@code CONTINUOUS} every read is checked again, otherwise the handler leaves
 * the pipeline once the connection is allowed. There is no request: header, path and method matchers never match.
 */
final class RbacConnectionFilter extends ChannelInboundHandlerAdapter {

    private final RbacEngine engine;
    private final boolean continuous;

    RbacConnectionFilter(RbacEngine engine, boolean continuous) {
        this.engine = engine;
        this.continuous = continuous;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel ch = ctx.channel();
        RbacPolicies.Decision decision = engine.check(connection(ch), DynamicMetadata.of(ch));
        if (!decision.allowed()) {
            ConnectionTermination.set(ch, ResponseCodeDetails.rbacDenied(decision.policy()));
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (!continuous) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    private static RbacRequest connection(Channel ch) {
        InetSocketAddress remote = ch.remoteAddress() instanceof InetSocketAddress a ? a : null;
        return new RbacRequest(null, remote, OriginalDestination.destination(ch), PeerCertificates.principal(ch),
                PeerCertificates.requestedServerName(ch.pipeline().get(SslHandler.class)), DynamicMetadata.of(ch));
    }
}
