package dev.weft.proxy.tracing;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * Trace context in request headers, read and written as Envoy's tracers do. Zipkin ({@link Propagation#B3}): B3 multi-header first, then the
 * single {@code b3} header, then W3C {@code traceparent} (Envoy's W3C fallback); written back as B3 multi-header and
 * {@code traceparent}. OpenTelemetry ({@link Propagation#W3C}) reads and writes {@code traceparent}
 * only. {@code tracestate} and {@code x-b3-flags} pass through untouched. A malformed context counts
 * as none, so the request starts a new trace (a sampling decision alone, {@code x-b3-sampled} or {@code b3: 0},
 * is still honoured).
 */
final class TraceHeaders {

    static final String TRACE_ID = "x-b3-traceid";
    static final String SPAN_ID = "x-b3-spanid";
    static final String PARENT_SPAN_ID = "x-b3-parentspanid";
    static final String SAMPLED = "x-b3-sampled";
    static final String FLAGS = "x-b3-flags";
    static final String B3 = "b3";
    static final String TRACEPARENT = "traceparent";

    private TraceHeaders() {
    }

    /** The caller's context; null when it sent none (or a broken one) and no sampling decision either. */
    static TraceContext extract(Propagation propagation, HttpHeaders h) {
        if (propagation == Propagation.W3C) {
            String traceparent = h.get(TRACEPARENT);
            return traceparent == null ? null : traceparent(traceparent);
        }
        boolean debug = "1".equals(h.get(FLAGS));
        Boolean sampled = debug ? Boolean.TRUE : sampledFlag(h.get(SAMPLED));
        TraceContext multi = multi(h, sampled, debug);
        if (multi != null) {
            return multi;
        }
        String single = h.get(B3);
        if (single != null) {
            TraceContext b3 = single(single);
            if (b3 != null) {
                return b3;
            }
        }
        String traceparent = h.get(TRACEPARENT);
        if (traceparent != null) {
            TraceContext w3c = traceparent(traceparent);
            if (w3c != null) {
                return w3c;
            }
        }
        return sampled == null ? null : new TraceContext(0, 0, 0, 0, sampled, debug);
    }

    /** Whether the context names a span to continue, or only carries a sampling decision. */
    static boolean hasSpan(TraceContext c) {
        return c != null && c.spanId() != 0;
    }

    /** Writes the span's context for the upstream: B3 multi-header (unless W3C only) and W3C traceparent. */
    static void inject(HttpHeaders h, TraceContext c, boolean sampled, Propagation propagation) {
        String traceId = c.traceIdHex();
        String spanId = Hex.of(c.spanId());
        String w3cTraceId = traceId.length() == 32 ? traceId : "0000000000000000" + traceId;
        h.set(TRACEPARENT, "00-" + w3cTraceId + "-" + spanId + (sampled ? "-01" : "-00"));
        if (propagation == Propagation.W3C) {
            return;
        }
        h.set(TRACE_ID, traceId);
        h.set(SPAN_ID, spanId);
        if (c.parentId() != 0) {
            h.set(PARENT_SPAN_ID, Hex.of(c.parentId()));
        } else {
            h.remove(PARENT_SPAN_ID);
        }
        h.set(SAMPLED, sampled ? "1" : "0");
    }

    private static TraceContext multi(HttpHeaders h, Boolean sampled, boolean debug) {
        String traceId = h.get(TRACE_ID);
        String spanId = h.get(SPAN_ID);
        if (traceId == null || spanId == null || !validTraceId(traceId, 0, traceId.length())
                || !validSpanId(spanId, 0, spanId.length())) {
            return null;
        }
        String parent = h.get(PARENT_SPAN_ID);
        long parentId = parent != null && Hex.isHex(parent, 0, parent.length()) ? Hex.parse(parent, 0, parent.length())
                : 0;
        return context(traceId, 0, traceId.length(), Hex.parse(spanId, 0, 16), parentId, sampled, debug);
    }

    /** {@code b3: {traceid}-{spanid}[-{sampling}[-{parentspanid}]]}, or only {@code {sampling}}. */
    private static TraceContext single(String b3) {
        if (b3.length() == 1) {
            Boolean sampled = singleSampling(b3);
            return sampled == null ? null : new TraceContext(0, 0, 0, 0, sampled, b3.equals("d"));
        }
        int first = b3.indexOf('-');
        if (first < 0 || !validTraceId(b3, 0, first)) {
            return null;
        }
        int second = b3.indexOf('-', first + 1);
        int spanEnd = second < 0 ? b3.length() : second;
        if (!validSpanId(b3, first + 1, spanEnd)) {
            return null;
        }
        Boolean sampled = null;
        long parentId = 0;
        if (second >= 0) {
            int third = b3.indexOf('-', second + 1);
            sampled = singleSampling(b3.substring(second + 1, third < 0 ? b3.length() : third));
            if (sampled == null) {
                return null;
            }
            if (third >= 0) {
                if (!validSpanId(b3, third + 1, b3.length())) {
                    return null;
                }
                parentId = Hex.parse(b3, third + 1, b3.length());
            }
        }
        return context(b3, 0, first, Hex.parse(b3, first + 1, spanEnd), parentId, sampled,
                second >= 0 && b3.charAt(second + 1) == 'd');
    }

    /** W3C {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}; bit 0 of the flags is "sampled". */
    private static TraceContext traceparent(String value) {
        if (value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-'
                || value.startsWith("ff") || !Hex.isHex(value, 0, 2) || !Hex.isHex(value, 53, 55)
                || (value.startsWith("00") && value.length() != 55)
                || !validTraceId(value, 3, 35) || !validSpanId(value, 36, 52)) {
            return null;
        }
        boolean sampled = (Hex.parse(value, 53, 55) & 1) == 1;
        return context(value, 3, 35, Hex.parse(value, 36, 52), 0, sampled, false);
    }

    private static TraceContext context(String s, int from, int to, long spanId, long parentId, Boolean sampled,
            boolean debug) {
        long high = to - from == 32 ? Hex.parse(s, from, from + 16) : 0;
        long low = Hex.parse(s, to - 16, to);
        return new TraceContext(high, low, spanId, parentId, sampled, debug);
    }

    /** 16 or 32 hex digits, not all zero. */
    private static boolean validTraceId(String s, int from, int to) {
        int length = to - from;
        if (length != 16 && length != 32) {
            return false;
        }
        boolean high = length == 32 && Hex.isHex(s, from, from + 16);
        if (length == 32 && !high) {
            return false;
        }
        return Hex.isHex(s, to - 16, to)
                && (Hex.parse(s, to - 16, to) != 0 || (length == 32 && Hex.parse(s, from, from + 16) != 0));
    }

    /** 16 hex digits, not all zero. */
    private static boolean validSpanId(String s, int from, int to) {
        return to - from == 16 && Hex.isHex(s, from, to) && Hex.parse(s, from, to) != 0;
    }

    /** {@code x-b3-sampled}: "1" or "true" samples, "0" or "false" does not; anything else is no decision. */
    private static Boolean sampledFlag(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "1", "true" -> Boolean.TRUE;
            case "0", "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static Boolean singleSampling(String value) {
        return switch (value) {
            case "1", "d" -> Boolean.TRUE;
            case "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
