package dev.weft.proxy.filter;

import dev.weft.proxy.router.RouteSpecificFilterConfig;

/**
 * A validated filter config that makes one {@link HttpFilter} per request; as a route's or virtual host's
 * per-filter config it replaces the chain's own for matching requests.
 */
@FunctionalInterface
public interface HttpFilterFactory extends RouteSpecificFilterConfig {

    HttpFilter create();

    /**
     * Whether its filters act on {@link HttpFilter#onLog}: when no filter of a request's chain does, the request
     * makes no view of itself for them.
     */
    default boolean logs() {
        return false;
    }

    /**
     * As a route's per-filter config, the filter for one request in place of the chain's own filter of the same
     * name, which keeps what belongs to the chain (Envoy counts a route's faults under the connection manager's
     * fault filter).
     */
    default HttpFilter createInPlaceOf(HttpFilterFactory chainFilter) {
        return create();
    }
}
