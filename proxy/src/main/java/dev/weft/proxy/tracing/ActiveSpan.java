package dev.weft.proxy.tracing;

/**
 * A sampled request's span while the request runs; unsampled requests have none.
 *
 * @param shared whether the span joins the caller's (Zipkin's shared span context): the same id on both sides
 * @param name the operation name, Envoy's {@code ingress} or {@code egress <host>}
 */
public record ActiveSpan(TraceContext context, boolean shared, String name) {
}
