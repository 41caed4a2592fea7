package dev.weft.proxy.filter;

import dev.weft.proxy.accesslog.AccessLogContext;
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

    /**
     * Called once after {@link #onComplete}, with what the access log reads (Envoy's filters that are also access
     * loggers, as Istio's stats filter): every filter of the chain hears it, also those a local reply skipped.
     */
    default void onLog(StreamFilterCallbacks exchange, AccessLogContext finished) {
    }
}
