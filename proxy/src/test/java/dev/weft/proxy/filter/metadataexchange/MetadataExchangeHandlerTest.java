package dev.weft.proxy.filter.metadataexchange;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.istio.PeerExchange;
import dev.weft.proxy.istio.WorkloadMetadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exchange on one connection, byte by byte: the frame each side writes first, the peer's frame taken off the
 * front of its bytes however they are split, and the cases where the peer stays unknown and its bytes pass untouched
 * (another ALPN protocol, a wrong magic, a frame longer than the bound, a half-close, no whole frame in time).
 */
class MetadataExchangeHandlerTest {

    private static final String PROTOCOL = "istio-peer-exchange";
    private static final WorkloadMetadata LOCAL = new WorkloadMetadata("sleep", "default", "sleep", "v1", "sleep",
            "v1", "Kubernetes", "spiffe://cluster.local/ns/default/sa/sleep");
    private static final WorkloadMetadata PEER = new WorkloadMetadata("tcp-echo-v1", "default", "tcp-echo", "v1",
            "tcp-echo", "v1", "Kubernetes", "spiffe://cluster.local/ns/default/sa/tcp-echo");

    private final PeerExchange exchange = new PeerExchange();
    private final AtomicReference<WorkloadMetadata> learnt = new AtomicReference<>();
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void connect(String negotiated) {
        channel = new EmbeddedChannel();
        // Only advanceTimeBy moves the channel's clock: a slow machine must not fire the timeout early.
        channel.freezeTime();
        exchange.whenSettled(learnt::set);
        channel.pipeline().addLast(new MetadataExchangeHandler(PROTOCOL,
                MetadataExchangeFrame.encode(LOCAL.toNodeMetadata()), ch -> exchange,
                pipeline -> negotiated == null ? null : pipeline.channel().eventLoop().newSucceededFuture(negotiated)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    /** What the handler passed on to the handlers after it. */
    private String passedOn() {
        StringBuilder text = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readInbound()) != null) {
            text.append(buf.toString(UTF_8));
            buf.release();
        }
        return text.toString();
    }

    private byte[] written() {
        List<Byte> bytes = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            for (byte b : ByteBufUtil.getBytes(buf)) {
                bytes.add(b);
            }
            buf.release();
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    @Test
    void theFrameIsTheMagicTheLengthAndAnAnyOfTheNodeStruct() {
        byte[] frame = MetadataExchangeFrame.encode(PEER.toNodeMetadata());

        ByteBuffer header = ByteBuffer.wrap(frame);
        assertThat(header.getInt()).isEqualTo(0x3D230467);
        assertThat(header.getInt()).isEqualTo(frame.length - 8);
        ByteBuf in = Unpooled.wrappedBuffer(frame);
        MetadataExchangeFrame.Read read = MetadataExchangeFrame.read(in);
        assertThat(read.status()).isEqualTo(MetadataExchangeFrame.Status.PEER);
        assertThat(read.peer()).isEqualTo(PEER);
        assertThat(in.readableBytes()).isZero();
    }

    @Test
    void writesItsFrameFirstAndTakesThePeersFrameSplitAcrossReads() {
        connect(PROTOCOL);

        assertThat(written()).isEqualTo(MetadataExchangeFrame.encode(LOCAL.toNodeMetadata()));
        byte[] bytes = concat(MetadataExchangeFrame.encode(PEER.toNodeMetadata()), "hello".getBytes(UTF_8));
        int lastOfFrame = bytes.length - 6;
        for (int i = 0; i < lastOfFrame; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
            assertThat(learnt.get()).as("after %d bytes", i + 1).isNull();
        }
        assertThat((Object) channel.readInbound()).as("nothing of a frame passes").isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, lastOfFrame, 6));

        assertThat(learnt.get()).isEqualTo(PEER);
        assertThat(passedOn()).isEqualTo("hello");
        assertThat(channel.pipeline().get(MetadataExchangeHandler.class)).isNull();
        channel.writeInbound(Unpooled.copiedBuffer(" world", UTF_8));
        assertThat(passedOn()).isEqualTo(" world");
    }

    @Test
    void anotherAlpnProtocolExchangesNothing() {
        connect("h2");

        assertThat(written()).isEmpty();
        assertThat(learnt.get()).isEqualTo(WorkloadMetadata.UNKNOWN);
        byte[] frame = MetadataExchangeFrame.encode(PEER.toNodeMetadata());
        channel.writeInbound(Unpooled.wrappedBuffer(frame));
        ByteBuf passed = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(passed)).as("a frame is just bytes here").isEqualTo(frame);
        passed.release();
    }

    @Test
    void withoutTlsThePeerIsUnknownAtOnce() {
        connect(null);

        assertThat(learnt.get()).isEqualTo(WorkloadMetadata.UNKNOWN);
        assertThat(written()).isEmpty();
    }

    @Test
    void aWrongMagicPassesEveryByte() {
        connect(PROTOCOL);
        written();

        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", UTF_8));

        assertThat(learnt.get()).isEqualTo(WorkloadMetadata.UNKNOWN);
        assertThat(passedOn()).isEqualTo("GET / HTTP/1.1\r\n");
    }

    @Test
    void aLengthPastTheBoundPassesEveryByte() {
        connect(PROTOCOL);
        ByteBuf oversize = Unpooled.buffer().writeInt(0x3D230467)
                .writeInt(MetadataExchangeFrame.MAX_PAYLOAD_BYTES + 1).writeBytes("data".getBytes(UTF_8));

        channel.writeInbound(oversize);

        assertThat(learnt.get()).isEqualTo(WorkloadMetadata.UNKNOWN);
        ByteBuf passed = channel.readInbound();
        assertThat(passed.readableBytes()).isEqualTo(12);
        assertThat(passed.getInt(0)).isEqualTo(0x3D230467);
        passed.release();
    }

    @Test
    void aPeerThatNeverFinishesItsFrameIsUnknownAfterTheTimeoutAndItsBytesPass() {
        connect(PROTOCOL);
        byte[] frame = MetadataExchangeFrame.encode(PEER.toNodeMetadata());
        channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 10));

        channel.advanceTimeBy(MetadataExchangeHandler.PEER_FRAME_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(learnt.get()).isNull();
        assertThat((Object) channel.readInbound()).isNull();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(learnt.get()).isEqualTo(WorkloadMetadata.UNKNOWN);
        ByteBuf passed = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(passed)).isEqualTo(java.util.Arrays.copyOf(frame, 10));
        passed.release();
    }

    @Test
    void aHalfCloseBeforeTheWholeFrameEndsTheExchange() {
        connect(PROTOCOL);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x3D, 0x23}));

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(learnt.get()).isEqualTo(WorkloadMetadata.UNKNOWN);
        ByteBuf passed = channel.readInbound();
        assertThat(passed.readableBytes()).isEqualTo(2);
        passed.release();
    }
}
