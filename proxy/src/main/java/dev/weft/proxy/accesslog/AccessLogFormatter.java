package dev.weft.proxy.accesslog;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Envoy's default access log format, one line per request. */
public final class AccessLogFormatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AccessLogFormatter() {
    }

    public static String format(AccessLogEntry e) {
        return "[" + TIME.format(e.start()) + "] \"" + dash(e.method()) + " " + dash(e.path()) + " " + dash(e.protocol())
                + "\" " + e.responseCode() + " " + e.responseFlags() + " " + e.bytesReceived() + " " + e.bytesSent()
                + " " + e.durationMillis() + " " + dash(e.upstreamServiceTime()) + " \"" + dash(e.forwardedFor())
                + "\" \"" + dash(e.userAgent()) + "\" \"" + dash(e.requestId()) + "\" \"" + dash(e.authority())
                + "\" \"" + dash(e.upstreamHost()) + "\"\n";
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
