package dev.weft.proxy.router;

import java.util.List;

/** A compiled virtual host: its domains and its routes in order; the first matching route wins. */
public record VirtualHost(String name, List<String> domains, List<Route> routes, HeaderMutation requestHeaders,
        HeaderMutation responseHeaders, RetryPolicy retryPolicy, boolean includeAttemptCount) {

    public VirtualHost {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
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
