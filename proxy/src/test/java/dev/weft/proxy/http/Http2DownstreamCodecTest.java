package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 downstream codec's edge cases on an EmbeddedChannel: frames are written and read byte for byte (a
 * 9-byte frame header, HPACK for header blocks), so what the proxy puts on the wire is what is checked.
 */
class Http2DownstreamCodecTest {

    private static final int HEADERS = 1;
    private static final int DATA = 0;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int GOAWAY = 7;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;

    /** One frame as it came off the wire; {@code headers} is decoded for HEADERS frames. */
    private record Frame(int type, int flags, int stream, ByteBuf payload, Http2Headers headers) {
    }

    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    private EmbeddedConnectionManager connect(String options) {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager(options);
        ByteBuf preface = Unpooled.buffer();
        preface.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
        frame(preface, SETTINGS, 0, 0, Unpooled.EMPTY_BUFFER);
        hcm.write(preface);
        return hcm;
    }

    private static void frame(ByteBuf out, int type, int flags, int stream, ByteBuf payload) {
        out.writeMedium(payload.readableBytes()).writeByte(type).writeByte(flags).writeInt(stream).writeBytes(payload);
    }

    private ByteBuf request(int stream, Http2Headers headers, boolean endStream) throws Http2Exception {
        ByteBuf block = Unpooled.buffer();
        encoder.encodeHeaders(stream, headers, block);
        ByteBuf out = Unpooled.buffer();
        frame(out, HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block);
        return out;
    }

    private static Http2Headers get(String path) {
        // Not validated here: the proxy is the one to judge what a client sends.
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority("x").path(path);
    }

    private List<Frame> frames(EmbeddedConnectionManager hcm) throws Http2Exception {
        ByteBuf in = hcm.writtenBytes();
        List<Frame> frames = new ArrayList<>();
        while (in.readableBytes() >= 9) {
            int length = in.readUnsignedMedium();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            ByteBuf payload = in.readRetainedSlice(length);
            Http2Headers headers = type == HEADERS ? decoder.decodeHeaders(stream, payload.duplicate()) : null;
            frames.add(new Frame(type, flags, stream, payload, headers));
        }
        return frames;
    }

    private static long setting(List<Frame> frames, int id) {
        Frame settings = frames.stream().filter(f -> f.type() == SETTINGS && (f.flags() & 1) == 0).findFirst()
                .orElseThrow();
        ByteBuf p = settings.payload().duplicate();
        while (p.readableBytes() >= 6) {
            int key = p.readUnsignedShort();
            long value = p.readUnsignedInt();
            if (key == id) {
                return value;
            }
        }
        return -1;
    }

    @Test
    void theServerSettingsCarryTheConfiguredLimits() throws Exception {
        EmbeddedConnectionManager hcm = connect("http2_protocol_options: { max_concurrent_streams: 9 }\n"
                + "max_request_headers_kb: 16\n");
        List<Frame> frames = frames(hcm);
        assertThat(setting(frames, 3)).as("SETTINGS_MAX_CONCURRENT_STREAMS").isEqualTo(9);
        assertThat(setting(frames, 6)).as("SETTINGS_MAX_HEADER_LIST_SIZE").isEqualTo(16 * 1024);
    }

    @Test
    void aRequestIsAnsweredOnItsStreamAndTheConnectionStaysUp() throws Exception {
        EmbeddedConnectionManager hcm = connect("");
        frames(hcm);
        ByteBuf two = request(1, get("/ok"), true);
        two.writeBytes(request(3, get("/teapot"), true));
        hcm.write(two);
        List<Frame> frames = frames(hcm);
        assertThat(frames).filteredOn(f -> f.type() == HEADERS).extracting(f -> f.stream() + " " + f.headers().status())
                .containsExactly("1 200", "3 418");
        Frame data = frames.stream().filter(f -> f.type() == DATA && f.stream() == 1).findFirst().orElseThrow();
        assertThat(data.payload().toString(StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(data.flags() & END_STREAM).isEqualTo(END_STREAM);
        assertThat(frames).noneMatch(f -> f.type() == GOAWAY || f.type() == RST_STREAM);
        assertThat(hcm.channel.isOpen()).isTrue();
    }

    @Test
    void aStreamWithoutAnAuthorityGets400AndOthersGoOn() throws Exception {
        EmbeddedConnectionManager hcm = connect("");
        frames(hcm);
        ByteBuf both = request(1, new DefaultHttp2Headers().method("GET").scheme("http").path("/ok"), true);
        both.writeBytes(request(3, get("/ok"), true));
        hcm.write(both);
        assertThat(frames(hcm)).filteredOn(f -> f.type() == HEADERS)
                .extracting(f -> f.stream() + " " + f.headers().status()).containsExactly("1 400", "3 200");
    }

    @Test
    void anUppercaseHeaderNameResetsItsStream() throws Exception {
        EmbeddedConnectionManager hcm = connect("");
        frames(hcm);
        hcm.write(request(1, get("/ok").add("X-Upper", "1"), true));
        List<Frame> frames = frames(hcm);
        assertThat(frames).anyMatch(f -> (f.type() == RST_STREAM && f.stream() == 1) || f.type() == GOAWAY);
        assertThat(frames).noneMatch(f -> f.type() == HEADERS && f.stream() == 1 && "200".contentEquals(f.headers().status()));
    }

    @Test
    void streamsResetByTheClientRightAwayLeaveTheConnectionServing() throws Exception {
        EmbeddedConnectionManager hcm = connect("");
        frames(hcm);
        ByteBuf burst = Unpooled.buffer();
        for (int stream = 1; stream <= 99; stream += 2) {
            burst.writeBytes(request(stream, get("/ok"), false));
            ByteBuf cancel = Unpooled.buffer().writeInt(8);
            frame(burst, RST_STREAM, 0, stream, cancel);
        }
        hcm.write(burst);
        frames(hcm);
        hcm.write(request(101, get("/ok"), true));
        assertThat(frames(hcm)).anyMatch(f -> f.type() == HEADERS && f.stream() == 101
                && "200".contentEquals(f.headers().status()));
    }

    @Test
    void maxRequestsPerConnectionSendsGoawayAfterTheLastStream() throws Exception {
        EmbeddedConnectionManager hcm = connect("common_http_protocol_options: { max_requests_per_connection: 2 }\n");
        frames(hcm);
        ByteBuf two = request(1, get("/ok"), true);
        two.writeBytes(request(3, get("/ok"), true));
        hcm.write(two);
        List<Frame> frames = frames(hcm);
        assertThat(frames).filteredOn(f -> f.type() == HEADERS).hasSize(2);
        Frame goaway = frames.stream().filter(f -> f.type() == GOAWAY).findFirst().orElseThrow();
        assertThat(goaway.payload().getInt(0)).as("last stream id").isEqualTo(3);
        assertThat(hcm.stat("downstream_cx_max_requests_reached")).isEqualTo(1);
    }

    @Test
    void anIdleConnectionGetsGoawayAndCloses() throws Exception {
        EmbeddedConnectionManager hcm = connect("common_http_protocol_options: { idle_timeout: 10s }\n");
        hcm.write(request(1, get("/ok"), true));
        frames(hcm);
        hcm.advance(Duration.ofSeconds(9));
        assertThat(frames(hcm)).noneMatch(f -> f.type() == GOAWAY);
        hcm.advance(Duration.ofSeconds(2));
        assertThat(frames(hcm)).anyMatch(f -> f.type() == GOAWAY);
        assertThat(hcm.channel.isOpen()).isFalse();
    }
}
