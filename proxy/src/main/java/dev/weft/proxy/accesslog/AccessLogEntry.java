package dev.weft.proxy.accesslog;

import java.time.Instant;

/** What one finished request leaves for the access log. Null strings print as "-". */
public record AccessLogEntry(Instant start, String method, String path, String protocol, int responseCode,
        String responseFlags, long bytesReceived, long bytesSent, long durationMillis, String upstreamServiceTime,
        String forwardedFor, String userAgent, String requestId, String authority, String upstreamHost) {
}
