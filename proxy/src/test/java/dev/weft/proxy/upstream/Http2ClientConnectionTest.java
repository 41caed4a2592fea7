package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.EmbeddedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.CharsetUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client connection at the byte level: what it writes, and what the server's frames do to it. */
class Http2ClientConnectionTest {

    private static final byte SETTINGS = 0x4;
    private static final byte RST_STREAM = 0x3;
    private static final byte GOAWAY = 0x7;
    private static final byte HEADERS = 0x1;

    private final List<String> events = new ArrayList<>();
    private final Http2ClientConnection connection = Http2ClientConnection.create(new Http2ClientConnection.Events() {
        @Override
        public void settled(Http2ClientConnection c) {
            events.add("settled");
        }

        @Override
        public void streamEnded(Http2ClientConnection c) {
            events.add("stream ended");
        }

        @Override
        public void goingAway(Http2ClientConnection c) {
            events.add("going away");
        }
    });
    private final EmbeddedChannel channel = new EmbeddedChannel(connection);
    private final List<String> heard = new ArrayList<>();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void writesThePrefaceAndTakesNoStreamBeforeTheServersSettings() {
        ByteBuf out = outbound();
        assertThat(out.readCharSequence(Http2CodecUtil.connectionPrefaceBuf().readableBytes(),
                CharsetUtil.US_ASCII).toString()).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertThat(frameTypes(out)).startsWith(SETTINGS);
        out.release();
        assertThat(connection.hasStreamCapacity()).isFalse();

        channel.writeInbound(frame(SETTINGS, 0, 0, new byte[0]));

        assertThat(events).containsExactly("settled");
        assertThat(connection.hasStreamCapacity()).isTrue();
    }

    /** Netty's first client stream is 3: it keeps 1 for the stream of an HTTP/1.1 upgrade. */
    @Test
    void aRequestOpensTheFirstClientStreamWithItsHeaders() {
        settle();

        Http2UpstreamStream stream = connection.newStream(listener());
        stream.write(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x",
                Unpooled.EMPTY_BUFFER));

        ByteBuf out = outbound();
        assertThat(out.getByte(out.readerIndex() + 3)).isEqualTo(HEADERS);
        assertThat(out.getInt(out.readerIndex() + 5) & 0x7fffffff).as("stream id").isEqualTo(3);
        out.release();
    }

    /**
     * A stream handed out before the server's GOAWAY arrived fails as a connection termination when it starts,
     * without a frame for a stream the server never saw, and the connection, with nothing left on it, closes.
     */
    @Test
    void aStreamThatStartsAfterGoAwayFailsWithoutTouchingTheWire() {
        settle();
        Http2UpstreamStream stream = connection.newStream(listener());

        channel.writeInbound(frame(GOAWAY, 0, 0, new byte[8]));
        assertThat(events).containsExactly("settled", "going away");
        assertThat(connection.hasStreamCapacity()).isFalse();
        assertThat(channel.isActive()).as("a stream is still handed out").isTrue();
        stream.write(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x",
                Unpooled.EMPTY_BUFFER));
        channel.runPendingTasks();

        assertThat(heard).containsExactly("failure CONNECTION_TERMINATION");
        assertThat(events).containsExactly("settled", "going away", "stream ended");
        ByteBuf out = outbound();
        assertThat(frameTypes(out)).doesNotContain(HEADERS, RST_STREAM);
        out.release();
        assertThat(channel.isActive()).isFalse();
    }

    private void settle() {
        channel.writeInbound(frame(SETTINGS, 0, 0, new byte[0]));
        outbound().release();
    }

    private UpstreamStreamListener listener() {
        return new UpstreamStreamListener() {
            @Override
            public void onReady(UpstreamStream stream) {
                heard.add("ready");
            }

            @Override
            public void onFailure(UpstreamFailure failure) {
                heard.add("failure " + failure);
            }

            @Override
            public void onResponse(HttpObject message) {
                heard.add("response");
            }

            @Override
            public void onWritabilityChanged(boolean writable) {
            }
        };
    }

    private ByteBuf outbound() {
        return EmbeddedBytes.written(channel);
    }

    /** The types of the frames in {@code out}, from its reader index on. */
    private static List<Byte> frameTypes(ByteBuf out) {
        List<Byte> types = new ArrayList<>();
        int i = out.readerIndex();
        while (i + 9 <= out.writerIndex()) {
            int length = out.getUnsignedMedium(i);
            types.add(out.getByte(i + 3));
            i += 9 + length;
        }
        return types;
    }

    private static ByteBuf frame(byte type, int flags, int streamId, byte[] payload) {
        ByteBuf b = Unpooled.buffer(9 + payload.length);
        b.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(streamId).writeBytes(payload);
        return b;
    }
}
