package dev.weft.proxy.agent;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP/1.1 GET to an app in the pod, bounded as the agent must be: the whole exchange within a deadline, the
 * headers and body within sizes (a longer body is cut, or refused), the connection closed after it. Plain sockets,
 * so the Host header and the probe's headers go out exactly as given; HTTPS does not verify the app's certificate,
 * as the kubelet's probes do not. Blocking: call it on a thread of its own, never on an event loop.
 */
final class BoundedHttpGet {

    /** The app's answer: status, headers (lower-case names) and at most the body limit. */
    record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {
    }

    private static final int MAX_HEAD = 16 * 1024;

    private BoundedHttpGet() {
    }

    /**
     * @param headers sent as given ({@code Host} among them), then {@code Connection: close}
     * @throws IOException when the app cannot be reached, answers no HTTP, or the deadline passes
     */
    static Response fetch(String host, int port, boolean https, String path, Map<String, String> headers,
            Duration timeout, int maxBody) throws IOException, GeneralSecurityException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = connect(host, port, https, timeout)) {
            StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Reader in = new Reader(new BufferedInputStream(socket.getInputStream()), socket, deadline);
            String statusLine = in.line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            int headBytes = statusLine.length();
            for (String line = in.line(); !line.isEmpty(); line = in.line()) {
                headBytes += line.length();
                if (headBytes > MAX_HEAD) {
                    throw new IOException("response headers over " + MAX_HEAD + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    responseHeaders.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean complete;
            if ("chunked".equalsIgnoreCase(responseHeaders.get("transfer-encoding"))) {
                complete = in.chunked(body, maxBody);
            } else {
                String length = responseHeaders.get("content-length");
                complete = in.copy(body, length == null ? Long.MAX_VALUE : Long.parseLong(length), maxBody);
            }
            return new Response(status, responseHeaders, body.toByteArray(), !complete);
        } catch (NumberFormatException e) {
            throw new IOException("a malformed response: " + e.getMessage());
        }
    }

    private static Socket connect(String host, int port, boolean https, Duration timeout)
            throws IOException, GeneralSecurityException {
        Socket socket = new Socket();
        try {
            int millis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
            socket.connect(new InetSocketAddress(host, port), millis);
            if (!https) {
                return socket;
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingManager()}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
            tls.setSoTimeout(millis);
            tls.startHandshake();
            return tls;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads a response byte by byte from a buffered stream, each read before the deadline. */
    private record Reader(InputStream in, Socket socket, long deadline) {

        int read() throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("the timeout passed");
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            return in.read();
        }

        /** One CRLF-terminated line. */
        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = read(); c != '\n'; c = read()) {
                if (c < 0) {
                    throw new IOException("the app closed the connection mid-response");
                }
                if (line.length() >= MAX_HEAD) {
                    throw new IOException("a response line over " + MAX_HEAD + " bytes");
                }
                line.append((char) c);
            }
            int end = line.length();
            return line.substring(0, end > 0 && line.charAt(end - 1) == '\r' ? end - 1 : end);
        }

        /** Up to {@code length} bytes (or to the end), keeping {@code limit}; whether the body ended within it. */
        boolean copy(ByteArrayOutputStream to, long length, int limit) throws IOException {
            for (long n = 0; n < length; n++) {
                if (to.size() >= limit) {
                    return false;
                }
                int c = read();
                if (c < 0) {
                    return length == Long.MAX_VALUE;
                }
                to.write(c);
            }
            return true;
        }

        boolean chunked(ByteArrayOutputStream to, int limit) throws IOException {
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                if (chunk == 0) {
                    return true;
                }
                if (!copy(to, chunk, limit)) {
                    return false;
                }
                line();
            }
        }
    }

    /** Trusts any server: the kubelet's HTTPS probes do not verify either. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
