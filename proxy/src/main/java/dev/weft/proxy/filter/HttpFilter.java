package dev.weft.proxy.filter;

import io.netty.handler.codec.http.HttpResponse;

/**
 * One HTTP filter instance, created per request by its {@link HttpFilterFactory}. It runs on the request's event
 * loop, so it may keep per-request state in fields without synchronisation.
 */
public interface HttpFilter {

    FilterStatus onRequestHeaders(StreamFilterCallbacks exchange);

    /** Called in reverse filter order before response headers go downstream; may edit them. */
    default void onResponseHeaders(StreamFilterCallbacks exchange, HttpResponse response) {
    }

    /** Called once when the exchange ends, however it ends; cancel timers here. */
    default void onComplete(StreamFilterCallbacks exchange) {
    }
}
