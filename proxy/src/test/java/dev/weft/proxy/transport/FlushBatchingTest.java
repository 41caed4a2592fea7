package dev.weft.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.tls.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One write per pass of the event loop, and behind TLS one record for what one flush carries. */
class FlushBatchingTest {

    private static final byte APPLICATION_DATA = 23;

    @Test
    void aFlushOutsideAReadWaitsForThePassToEnd() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FlushBatching.install(channel.pipeline());

        // Through the pipeline: EmbeddedChannel's own writeAndFlush ends the pass (runs its tasks) itself.
        channel.pipeline().writeAndFlush(text("head"));
        assertThat(channel.outboundMessages()).as("held until the event loop's pass ends").isEmpty();

        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).hasSize(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void flushesDuringAReadLeaveWhenTheReadCompletes() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FlushBatching.install(channel.pipeline());
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                ctx.writeAndFlush(text("answer"));
                assertThat(channel.outboundMessages()).as("not before the read completes").isEmpty();
            }
        });

        channel.writeInbound(text("request"));
        assertThat(channel.outboundMessages()).hasSize(1);
        channel.finishAndReleaseAll();
    }

    /** Two responses flushed in one pass: one TLS record instead of two, the batching sits above the TLS handler. */
    @Test
    void behindTlsTheMessagesOfOnePassAreSealedIntoOneRecord() throws Exception {
        assertThat(applicationRecords(true)).isEqualTo(1);
        assertThat(applicationRecords(false)).as("the same writes unbatched").isEqualTo(2);
    }

    private static int applicationRecords(boolean batched) throws Exception {
        TestPki.Issued server = TestPki.create("flush").issue("server", "localhost");
        SslContext serverContext = SslContextBuilder.forServer(server.key(), server.certificate())
                .sslProvider(SslProvider.JDK).build();
        SslContext clientContext = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        EmbeddedChannel serverChannel = new EmbeddedChannel();
        EmbeddedChannel clientChannel = new EmbeddedChannel();
        serverChannel.pipeline().addLast("tls", serverContext.newHandler(serverChannel.alloc()));
        clientChannel.pipeline().addLast("tls", clientContext.newHandler(clientChannel.alloc()));
        if (batched) {
            FlushBatching.install(serverChannel.pipeline());
            assertThat(serverChannel.pipeline().names()).containsSubsequence("tls", FlushBatching.NAME);
        }
        handshake(clientChannel, serverChannel);

        serverChannel.pipeline().writeAndFlush(text("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n"));
        serverChannel.pipeline().writeAndFlush(text("body"));
        serverChannel.runPendingTasks();

        int records = 0;
        for (ByteBuf out; (out = serverChannel.readOutbound()) != null; out.release()) {
            while (out.readableBytes() >= 5) {
                byte type = out.readByte();
                out.skipBytes(2);
                int length = out.readUnsignedShort();
                out.skipBytes(length);
                records += type == APPLICATION_DATA ? 1 : 0;
            }
        }
        serverChannel.finishAndReleaseAll();
        clientChannel.finishAndReleaseAll();
        return records;
    }

    /** Shuttles the handshake's bytes between the two ends until neither has more to say. */
    private static void handshake(EmbeddedChannel client, EmbeddedChannel server) {
        for (int round = 0; round < 20; round++) {
            client.runPendingTasks();
            server.runPendingTasks();
            boolean moved = shuttle(client, server) | shuttle(server, client);
            if (!moved) {
                return;
            }
        }
    }

    private static boolean shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf out; (out = from.readOutbound()) != null; ) {
            to.writeInbound(out);
            moved = true;
        }
        to.inboundMessages().forEach(io.netty.util.ReferenceCountUtil::release);
        to.inboundMessages().clear();
        return moved;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
