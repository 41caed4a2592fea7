package dev.weft.proxy.filter;

/** A validated filter config that makes one {@link HttpFilter} per request. */
@FunctionalInterface
public interface HttpFilterFactory {

    HttpFilter create();
}
