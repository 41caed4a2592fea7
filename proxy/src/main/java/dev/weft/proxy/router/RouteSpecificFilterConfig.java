package dev.weft.proxy.router;

/**
 * A filter's config for one route or virtual host ({@code typed_per_filter_config}), as Envoy's
 * {@code Router::RouteSpecificFilterConfig}: routing only carries it, the filter chain that asked for it knows
 * its type. Keeps the route tables free of any dependency on the filters.
 */
public interface RouteSpecificFilterConfig {
}
