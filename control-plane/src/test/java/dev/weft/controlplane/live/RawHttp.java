package dev.weft.controlplane.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client that can set Host (java.net.http refuses to): a sidecar routes by Host, and
 * an app reaches "reviews:9080" through its sidecar's outbound port.
 */
final class RawHttp {

    /** Status and the value of one response header (empty when absent); status 0 when the connection failed. */
    record Response(int status, String header) {
    }

    private RawHttp() {
    }

    static Response get(int port, String host, String path, String header) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            if (statusLine == null) {
                return new Response(0, "");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            String value = "";
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(header)) {
                    value = line.substring(colon + 1).trim();
                }
            }
            return new Response(status, value);
        } catch (IOException | RuntimeException e) {
            return new Response(0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
