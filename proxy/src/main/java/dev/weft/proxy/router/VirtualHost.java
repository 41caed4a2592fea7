package dev.weft.proxy.router;

import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.List;
import java.util.Map;

/**
 * A compiled virtual host: its domains and its routes in order; the first matching route wins. With
 * {@code require_tls}, a request that did not come over TLS gets Envoy's 301 to https instead (Istio's
 * {@code httpsRedirect}).
 */
public record VirtualHost(String name, List<String> domains, List<Route> routes, HeaderMutation requestHeaders,
        HeaderMutation responseHeaders, RetryPolicy retryPolicy, boolean includeAttemptCount,
        Map<String, RouteSpecificFilterConfig> filterOverrides, TlsRequirement tlsRequirement) {

    /** {@code require_tls}: which requests must have come over TLS. */
    public enum TlsRequirement { NONE, EXTERNAL_ONLY, ALL }

    /** Envoy's SSL redirect route: same host and path over https, 301. */
    private static final Route TLS_REDIRECT = new Route("", RequestMatch.compile(RouteMatch.newBuilder().setPrefix("/")
            .build()), new RouteAction.Redirect(301, "https", null, 0, null, null, false), HeaderMutation.NONE,
            HeaderMutation.NONE, Map.of());

    public VirtualHost {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
        filterOverrides = Map.copyOf(filterOverrides);
    }

    /** The factory that replaces the chain's filter of this name in this virtual host, or null. */
    public RouteSpecificFilterConfig filterOverride(String filterName) {
        return filterOverrides.get(filterName);
    }

    /**
     * The first route that matches, or null. As in Envoy, whether a request came over TLS is its
     * {@code x-forwarded-proto}, which the connection manager sets from the connection at the edge.
     */
    public Route match(RouteRequest request) {
        if (tlsRequirement != TlsRequirement.NONE && !"https".equals(request.headers().get("x-forwarded-proto"))
                && (tlsRequirement == TlsRequirement.ALL || !"true".equals(request.headers().get("x-envoy-internal")))) {
            return TLS_REDIRECT;
        }
        for (Route r : routes) {
            if (r.matches(request)) {
                return r;
            }
        }
        return null;
    }
}
