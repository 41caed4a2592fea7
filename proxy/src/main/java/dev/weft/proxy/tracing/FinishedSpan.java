package dev.weft.proxy.tracing;

import java.util.Map;

/**
 * A finished span, its tags collected on the event loop and its encoding left to the reporter's thread.
 *
 * @param parentId 0 for a root span
 * @param localIp the proxy's address the request came in on, or null
 * @param tags sorted by name
 */
record FinishedSpan(String traceId, long id, long parentId, SpanKind kind, String name, long timestampMicros,
        long durationMicros, String serviceName, String localIp, boolean shared, Map<String, String> tags) {
}
