package dev.weft.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads one HTTP/1.1 response from a keep-alive stream: status line, headers, and a sized or chunked body. */
final class HttpResponseReader {

    private HttpResponseReader() {
    }

    /** Consumes one whole response and returns its status code. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        if (chunked) {
            skipChunked(in);
        } else if (contentLength > 0) {
            skipFully(in, contentLength);
        }
        return status;
    }

    private static void skipChunked(InputStream in) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            int extension = sizeLine.indexOf(';');
            long size = Long.parseLong((extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // Trailers are read and dropped.
                }
                return;
            }
            skipFully(in, size);
            readLine(in);
        }
    }

    private static void skipFully(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed inside a response body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed inside a response head");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
