package dev.weft.proxy.router;

import java.util.List;
import java.util.Map;

/** A compiled virtual host: its domains and its routes in order; the first matching route wins. */
public record VirtualHost(String name, List<String> domains, List<Route> routes, HeaderMutation requestHeaders,
        HeaderMutation responseHeaders, RetryPolicy retryPolicy, boolean includeAttemptCount,
        Map<String, RouteSpecificFilterConfig> filterOverrides) {

    public VirtualHost {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
        filterOverrides = Map.copyOf(filterOverrides);
    }

    /** The factory that replaces the chain's filter of this name in this virtual host, or null. */
    public RouteSpecificFilterConfig filterOverride(String filterName) {
        return filterOverrides.get(filterName);
    }

    /** The first route that matches, or null. */
    public Route match(RouteRequest request) {
        for (Route r : routes) {
            if (r.matches(request)) {
                return r;
            }
        }
        return null;
    }
}
