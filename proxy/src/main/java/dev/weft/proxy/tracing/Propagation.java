package dev.weft.proxy.tracing;

/** Which trace context headers a tracer reads and writes, as Envoy's tracers do. */
enum Propagation {
    /** Zipkin: B3 multi-header, then {@code b3}, then W3C {@code traceparent}; writes B3 multi-header and traceparent. */
    B3,
    /** OpenTelemetry: W3C {@code traceparent} only. */
    W3C
}
