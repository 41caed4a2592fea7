package dev.weft.proxy.filter;

import dev.weft.proxy.router.RouteSpecificFilterConfig;

/**
 * A validated filter config that makes one {@link HttpFilter} per request; as a route's or virtual host's
 * per-filter config it replaces the chain's own for matching requests.
 */
@FunctionalInterface
public interface HttpFilterFactory extends RouteSpecificFilterConfig {

    HttpFilter create();
}
