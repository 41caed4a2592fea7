package dev.weft.proxy.filter;

/** A filter of a connection manager's chain: its configured name (routes override it by name) and its factory. */
public record NamedFilter(String name, HttpFilterFactory factory) {
}
