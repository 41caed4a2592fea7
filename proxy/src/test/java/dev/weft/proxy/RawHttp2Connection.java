package dev.weft.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/2 client connection (h2c prior knowledge) over a plain socket that writes frames byte by byte, so a test
 * can send what no HTTP/2 library would: header names in upper case, pseudo-headers in any order or repeated,
 * connection-specific headers, a stream reset right after it opened. Header blocks are HPACK literals without
 * indexing, written in the given order and case. What the server sends back is read frame by frame.
 */
public final class RawHttp2Connection implements AutoCloseable {

    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int PROTOCOL_ERROR = 1;
    public static final int CANCEL = 8;

    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int ACK = 0x1;

    /** A frame the server sent; for HEADERS the decoded block, for RST_STREAM and GOAWAY the error code. */
    public record Frame(int type, int flags, int streamId, byte[] payload, Http2Headers headers) {

        public long errorCode() {
            int offset = type == GOAWAY ? 4 : 0;
            return ((payload[offset] & 0xFFL) << 24) | ((payload[offset + 1] & 0xFF) << 16)
                    | ((payload[offset + 2] & 0xFF) << 8) | (payload[offset + 3] & 0xFF);
        }

        public boolean endsStream() {
            return (flags & END_STREAM) != 0;
        }

        @Override
        public String toString() {
            return switch (type) {
                case HEADERS -> "HEADERS stream " + streamId + " " + headers;
                case RST_STREAM -> "RST_STREAM stream " + streamId + " error " + errorCode();
                case GOAWAY -> "GOAWAY error " + errorCode() + " "
                        + new String(payload, 8, payload.length - 8, StandardCharsets.ISO_8859_1);
                default -> "frame type " + type + " stream " + streamId;
            };
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private int nextStreamId = 1;

    /** Connects, sends the preface and empty SETTINGS. */
    public RawHttp2Connection(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        writeFrame(SETTINGS, 0, 0, new byte[0]);
    }

    /** Opens the next client stream with these header fields (name, value pairs), sent as they are. */
    public int headers(List<List<String>> fields, boolean endStream) throws IOException {
        int streamId = nextStreamId;
        nextStreamId += 2;
        writeFrame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, hpackLiterals(fields));
        return streamId;
    }

    public void data(int streamId, String data, boolean endStream) throws IOException {
        writeFrame(DATA, endStream ? END_STREAM : 0, streamId, data.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void rstStream(int streamId, int errorCode) throws IOException {
        writeFrame(RST_STREAM, 0, streamId, intBytes(errorCode));
    }

    /** A GET of {@code path} with the four request pseudo-headers, ending the stream. */
    public int get(String path) throws IOException {
        return headers(List.of(List.of(":method", "GET"), List.of(":scheme", "http"), List.of(":path", path),
                List.of(":authority", "x")), true);
    }

    /**
     * The next frame, answering SETTINGS and PING as a client must; null when the server closed the connection
     * (or reset it, or stayed silent past the timeout).
     */
    public Frame next() throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                return null; // a reset is a close too
            }
            if (first < 0) {
                return null;
            }
            int length = (first << 16) | in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int streamId = in.readInt() & 0x7FFFFFFF;
            byte[] payload = in.readNBytes(length);
            if (type == SETTINGS && (flags & ACK) == 0) {
                acknowledge(SETTINGS, new byte[0]);
                continue;
            }
            if (type == PING && (flags & ACK) == 0) {
                acknowledge(PING, payload);
                continue;
            }
            if (type == SETTINGS || type == PING || type == 8) {
                continue; // acknowledgements and WINDOW_UPDATE
            }
            return new Frame(type, flags, streamId, payload, type == HEADERS ? decode(streamId, payload, flags) : null);
        }
    }

    /** The first frame that ends or resets {@code streamId}, or a GOAWAY; null when the connection closed first. */
    public Frame outcomeOf(int streamId) throws IOException {
        Frame f;
        while ((f = next()) != null) {
            boolean ours = f.streamId() == streamId;
            if (f.type() == GOAWAY || (ours && f.type() == RST_STREAM) || (ours && f.type() == HEADERS)) {
                return f;
            }
        }
        return null;
    }

    /** The RST_STREAM of {@code streamId} or a GOAWAY, skipping its response frames; null when the connection closed. */
    public Frame resetOrGoawayOf(int streamId) throws IOException {
        Frame f;
        while ((f = next()) != null) {
            if (f.type() == GOAWAY || (f.streamId() == streamId && f.type() == RST_STREAM)) {
                return f;
            }
        }
        return null;
    }

    private Http2Headers decode(int streamId, byte[] block, int flags) throws IOException {
        if ((flags & END_HEADERS) == 0) {
            throw new IOException("the server split a header block over CONTINUATION frames; not read by this client");
        }
        ByteBuf buf = Unpooled.wrappedBuffer(block);
        try {
            return decoder.decodeHeaders(streamId, buf);
        } catch (Http2Exception e) {
            throw new IOException("undecodable header block from the server", e);
        } finally {
            buf.release();
        }
    }

    /**
     * Acknowledges a SETTINGS or PING. The server may have closed the connection already (a GOAWAY for a connection
     * error): then the write is reset, and what the server sent before closing is still read.
     */
    private void acknowledge(int type, byte[] payload) {
        try {
            writeFrame(type, ACK, 0, payload);
        } catch (IOException closedByTheServer) {
            // Read on.
        }
    }

    private void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
            (byte) type, (byte) flags, 0, 0, 0, 0};
        System.arraycopy(intBytes(streamId), 0, head, 5, 4);
        out.write(head);
        out.write(payload);
        out.flush();
    }

    /** HPACK "literal header field without indexing, new name" for each field (RFC 7541 6.2.2), no Huffman. */
    private static byte[] hpackLiterals(List<List<String>> fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (List<String> field : fields) {
            block.write(0);
            hpackString(block, field.get(0));
            hpackString(block, field.get(1));
        }
        return block.toByteArray();
    }

    private static void hpackString(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.writeBytes(bytes);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
