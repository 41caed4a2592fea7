package dev.weft.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The tls_inspector and http_inspector listener filters: peeks at the first bytes to learn the transport
 * (tls / raw_buffer) and, for plain text, the HTTP version (h2c / http/1.1 / http/1.0), then lets the chain be
 * chosen. The peeked bytes stay in the stream for the chosen chain. If the client says nothing for the timeout
 * (a server-first protocol), the chain is chosen with what is known.
 */
final class ProtocolInspector extends ByteToMessageDecoder {

    private static final int MAX_PEEK = 8192;
    /** A ClientHello larger than this is not waited for; the chain is chosen without SNI. */
    private static final int MAX_CLIENT_HELLO = 16 * 1024 + 5;
    private static final long TIMEOUT_MILLIS = 15_000;

    private final ListenerConfig listener;
    private final ConnectionSetup setup;
    private ScheduledFuture<?> timeout;
    private boolean decided;

    ProtocolInspector(ListenerConfig listener, ConnectionSetup setup) {
        this.listener = listener;
        this.setup = setup;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> decide(ctx, null, null, null), TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (decided || !in.isReadable()) {
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        if (first == 0x16) {
            int length = ClientHello.recordLength(in);
            if (!listener.inspectTls()) {
                decide(ctx, "tls", null, null);
            } else if (length > 0 && (in.readableBytes() >= length || length > MAX_CLIENT_HELLO)) {
                ClientHello hello = in.readableBytes() >= length ? ClientHello.parse(in) : ClientHello.EMPTY;
                decide(ctx, "tls", hello.serverName(), hello.alpn().isEmpty() ? null : hello.alpn());
            }
            return;
        }
        if (!listener.inspectHttp()) {
            decide(ctx, "raw_buffer", null, null);
            return;
        }
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        try {
            int n = Math.min(in.readableBytes(), preface.readableBytes());
            if (ByteBufUtil.equals(in, in.readerIndex(), preface, 0, n)) {
                if (n == preface.readableBytes()) {
                    decide(ctx, "raw_buffer", null, List.of("h2c"));
                }
                return;
            }
        } finally {
            preface.release();
        }
        if (!mayBeHttp1(in)) {
            decide(ctx, "raw_buffer", null, null);
            return;
        }
        int eol = in.indexOf(in.readerIndex(), Math.min(in.writerIndex(), in.readerIndex() + MAX_PEEK), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() >= MAX_PEEK) {
                decide(ctx, "raw_buffer", null, null);
            }
            return;
        }
        String line = in.toString(in.readerIndex(), eol - in.readerIndex(), StandardCharsets.ISO_8859_1).trim();
        String protocol = line.endsWith(" HTTP/1.1") ? "http/1.1" : line.endsWith(" HTTP/1.0") ? "http/1.0" : null;
        decide(ctx, "raw_buffer", null, protocol == null ? null : List.of(protocol));
    }

    /** An HTTP/1 request starts with an upper-case method and a space; anything else is not HTTP. */
    private static boolean mayBeHttp1(ByteBuf in) {
        int n = Math.min(in.readableBytes(), 20);
        for (int i = 0; i < n; i++) {
            int c = in.getUnsignedByte(in.readerIndex() + i);
            if (c == ' ') {
                return i > 0;
            }
            if ((c < 'A' || c > 'Z') && c != '-' && c != '_') {
                return false;
            }
        }
        return n < 20;
    }

    private void decide(ChannelHandlerContext ctx, String transport, String serverName, List<String> alpn) {
        if (decided) {
            return;
        }
        decided = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        setup.install(ctx.channel(), listener, transport, serverName, alpn);
        if (ctx.channel().isActive()) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Nothing after this handler can take the error yet: close rather than let it reach the pipeline's end.
        ctx.close();
    }
}
