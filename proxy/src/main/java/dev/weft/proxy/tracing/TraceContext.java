package dev.weft.proxy.tracing;

/**
 * A span's place in a trace, as B3 and W3C trace context carry it between processes.
 *
 * @param traceIdHigh the upper 64 bits of a 128-bit trace id; 0 for a 64-bit one
 * @param parentId 0 for a root span
 * @param sampled the caller's sampling decision; null when it made none
 * @param debug B3's debug flag ({@code x-b3-flags: 1}, {@code b3: ...-d}), which implies sampled
 */
public record TraceContext(long traceIdHigh, long traceIdLow, long spanId, long parentId, Boolean sampled, boolean debug) {

    String traceIdHex() {
        return traceIdHigh == 0 ? Hex.of(traceIdLow) : Hex.of(traceIdHigh) + Hex.of(traceIdLow);
    }
}
