package dev.weft.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One client TCP connection that writes raw bytes and parses HTTP/1.1 responses itself, byte by byte, so a test
 * sees exactly what the proxy did with the connection: nothing reconnects or retries behind its back.
 */
public final class RawHttp1Connection implements AutoCloseable {

    /** A parsed response; header names are lower case, the last value of a repeated header wins. */
    public record Response(int status, Map<String, String> headers, String body) {

        public boolean closesConnection() {
            return "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp1Connection(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawHttp1Connection send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response (a HEAD's has no body); fails when the connection ends or stalls before it is complete. */
    public Response read() throws IOException {
        return read(false);
    }

    public Response readHeadResponse() throws IOException {
        return read(true);
    }

    private Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new AssertionError("the connection ended before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        if (l == null) {
            throw new AssertionError("the connection ended inside the headers of " + statusLine);
        }
        String body;
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            body = "";
        } else if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new AssertionError("the connection ended inside the body of " + statusLine);
            }
            body = new String(b, StandardCharsets.ISO_8859_1);
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunkedBody();
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        return new Response(status, headers, body);
    }

    private String chunkedBody() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String size = line();
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                String trailer;
                while ((trailer = line()) != null && !trailer.isEmpty()) {
                    // Trailers are not part of the body.
                }
                return sb.toString();
            }
            sb.append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
            line();
        }
    }

    /** Whether the proxy closed the connection: the next read sees the end of the stream within the timeout. */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // a reset is a close too
        }
    }

    /** Whether the connection is still open and silent after {@code millis}: no bytes and no close. */
    public boolean openAndSilentFor(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** Everything until the proxy closes the connection; fails if it neither closes nor stops within the timeout. */
    public String readUntilClose() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                buf.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy neither answered nor closed: got " + buf, e);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return c < 0 && sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
