package dev.weft.proxy.tracing;

/** Zipkin's span kind: SERVER where the proxy takes a request in (inbound, gateway), CLIENT where it sends one out. */
public enum SpanKind { SERVER, CLIENT }
