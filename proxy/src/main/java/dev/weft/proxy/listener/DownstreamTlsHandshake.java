package dev.weft.proxy.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.function.Consumer;

/**
 * Holds a TLS connection's decrypted bytes until the handshake is done, then lets the chain's network filter be
 * installed for the negotiated ALPN protocol ("" when none was). A failed handshake (no common version, an
 * untrusted client certificate) is counted and closes the connection quietly.
 */
final class DownstreamTlsHandshake extends ApplicationProtocolNegotiationHandler {

    private final ListenerStats stats;
    private final Consumer<String> installFilter;

    DownstreamTlsHandshake(ListenerStats stats, Consumer<String> installFilter) {
        super("");
        this.stats = stats;
        this.installFilter = installFilter;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        stats.handshakes().increment();
        installFilter.accept(protocol);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        stats.connectionErrors().increment();
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.connectionErrors().increment();
        ctx.close();
    }
}
