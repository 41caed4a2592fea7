package dev.weft.testing.upstream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An HTTP/1.1 keep-alive server on 127.0.0.1 and an ephemeral port that reads what a proxy forwards by RFC 9112's
 * strictest reading: CRLF line ends only, header names that are tokens, no CR, LF or NUL in values, and a body
 * framed by exactly one {@code transfer-encoding: chunked} or exactly one decimal {@code content-length}, never
 * both. Each request is recorded as it was framed; anything a lenient server could read differently from a strict
 * one is recorded as a {@link #framingErrors() framing error} and ends the connection, so a test sees a request
 * smuggled through the proxy as either a second request or an error. Every request gets 200 with body "ok".
 */
public final class StrictHttp1Upstream implements AutoCloseable {

    /** One request as framed on the wire; header names lower case, in order, repeats kept. */
    public record ForwardedRequest(String method, String target, List<Map.Entry<String, String>> headers,
            byte[] body, int connection) {

        public ForwardedRequest {
            headers = List.copyOf(headers);
            body = body.clone();
        }

        /** Every value of a header, in order. */
        public List<String> headerValues(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            return headers.stream().filter(h -> h.getKey().equals(lower)).map(Map.Entry::getValue).toList();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    private static final int MAX_LINE = 128 * 1024;

    private final ConcurrentLinkedQueue<ForwardedRequest> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> framingErrors = new ConcurrentLinkedQueue<>();
    private final LoopbackSocketServer server;

    private StrictHttp1Upstream() {
        server = new LoopbackSocketServer(this::serve);
    }

    public static StrictHttp1Upstream start() {
        return new StrictHttp1Upstream();
    }

    public int port() {
        return server.port();
    }

    public List<ForwardedRequest> requests() {
        return List.copyOf(requests);
    }

    /** What this server could not read unambiguously, with the connection it came on. */
    public List<String> framingErrors() {
        return List.copyOf(framingErrors);
    }

    private void serve(Socket socket) {
        int connection = socket.getPort();
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            try {
                ForwardedRequest request;
                while ((request = readRequest(in, connection)) != null) {
                    requests.add(request);
                    out.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (FramingException e) {
                // Recorded before the connection closes, so a client that sees the close sees the error too.
                framingErrors.add("connection " + connection + ": " + e.getMessage());
            }
        } catch (IOException ignored) {
            // The proxy closed or reset the connection; what it sent before is recorded.
        }
    }

    /** One request, or null when the connection ends cleanly between requests. */
    private static ForwardedRequest readRequest(InputStream in, int connection) throws IOException {
        String requestLine = line(in, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].equals("HTTP/1.1")) {
            throw new FramingException("bad request line: " + printable(requestLine));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String header;
        while (!(header = line(in, false)).isEmpty()) {
            headers.add(parseHeader(header));
        }
        List<String> lengths = values(headers, "content-length");
        List<String> encodings = values(headers, "transfer-encoding");
        byte[] body;
        if (!encodings.isEmpty()) {
            if (!lengths.isEmpty() || encodings.size() != 1 || !encodings.get(0).equals("chunked")) {
                throw new FramingException("ambiguous framing: transfer-encoding " + encodings
                        + ", content-length " + lengths);
            }
            body = chunkedBody(in);
        } else if (!lengths.isEmpty()) {
            if (lengths.size() != 1 || !lengths.get(0).matches("[0-9]{1,15}")) {
                throw new FramingException("ambiguous content-length " + lengths);
            }
            int n = Integer.parseInt(lengths.get(0));
            body = in.readNBytes(n);
            if (body.length < n) {
                throw new EOFException("connection ended inside a " + n + "-byte body");
            }
        } else {
            body = new byte[0];
        }
        return new ForwardedRequest(parts[0], parts[1], headers, body, connection);
    }

    private static Map.Entry<String, String> parseHeader(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon);
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new FramingException("bad header line: " + printable(line));
        }
        String value = line.substring(colon + 1).strip();
        return Map.entry(name.toLowerCase(Locale.ROOT), value);
    }

    private static List<String> values(List<Map.Entry<String, String>> headers, String name) {
        return headers.stream().filter(h -> h.getKey().equals(name)).map(Map.Entry::getValue).toList();
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, false);
            String size = sizeLine.split(";", 2)[0];
            if (!size.matches("[0-9A-Fa-f]{1,8}")) {
                throw new FramingException("bad chunk size line: " + printable(sizeLine));
            }
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                while (!line(in, false).isEmpty()) {
                    // Trailer fields are not part of the body.
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) {
                throw new EOFException("connection ended inside a chunk");
            }
            body.write(chunk);
            if (!line(in, false).isEmpty()) {
                throw new FramingException("chunk data longer than its size");
            }
        }
    }

    /**
     * One CRLF-terminated line without CR, LF or NUL inside; null only when {@code mayEnd} and the stream ends
     * before its first byte. A message cut short (the proxy reset it) is not ambiguous, so it is no framing error.
     */
    private static String line(InputStream in, boolean mayEnd) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new FramingException("bare CR after: " + printable(sb.toString()));
                }
                return sb.toString();
            }
            if (c == '\n' || c == 0) {
                throw new FramingException("bare LF or NUL after: " + printable(sb.toString()));
            }
            if (sb.length() > MAX_LINE) {
                throw new FramingException("line longer than " + MAX_LINE);
            }
            sb.append((char) c);
        }
        if (mayEnd && sb.isEmpty()) {
            return null;
        }
        throw new EOFException("connection ended inside a line: " + printable(sb.toString()));
    }

    private static String printable(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return shown.replace("\t", "\\t");
    }

    @Override
    public void close() {
        server.close();
    }

    private static final class FramingException extends RuntimeException {

        FramingException(String message) {
            super(message);
        }
    }
}
