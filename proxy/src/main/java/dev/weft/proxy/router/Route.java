package dev.weft.proxy.router;

import java.util.Map;

/** One compiled route: its match, its action, and the header mutations it adds. */
public final class Route {

    private final String name;
    private final RequestMatch match;
    private final PathMatcher path;
    private final RouteAction action;
    private final HeaderMutation requestHeaders;
    private final HeaderMutation responseHeaders;
    private final Map<String, RouteSpecificFilterConfig> filterOverrides;

    Route(String name, RequestMatch match, RouteAction action, HeaderMutation requestHeaders, HeaderMutation responseHeaders,
            Map<String, RouteSpecificFilterConfig> filterOverrides) {
        this.name = name;
        this.match = match;
        this.path = match.path();
        this.action = action;
        this.requestHeaders = requestHeaders;
        this.responseHeaders = responseHeaders;
        this.filterOverrides = Map.copyOf(filterOverrides);
    }

    /** The config that replaces the chain's filter of this name for this route (typed_per_filter_config), or null. */
    public RouteSpecificFilterConfig filterOverride(String filterName) {
        return filterOverrides.get(filterName);
    }

    public String name() {
        return name;
    }

    public RouteAction action() {
        return action;
    }

    public HeaderMutation requestHeaders() {
        return requestHeaders;
    }

    public HeaderMutation responseHeaders() {
        return responseHeaders;
    }

    boolean matches(RouteRequest request) {
        return match.matches(request);
    }

    /** The request path after this route's prefix or regex rewrite, keeping the query string. */
    public String rewritePath(RouteRequest request) {
        if (!(action instanceof RouteAction.Forward f)) {
            return request.uri();
        }
        if (f.prefixRewrite() != null && (path.kind() == PathMatcher.Kind.PREFIX
                || path.kind() == PathMatcher.Kind.SEPARATED_PREFIX || path.kind() == PathMatcher.Kind.PATH)) {
            String rest = request.path().substring(Math.min(path.value().length(), request.path().length()));
            return f.prefixRewrite() + rest + request.queryString();
        }
        if (f.regexRewrite() != null) {
            return f.regexRewrite().matcher(request.path()).replaceAll(f.regexSubstitution()) + request.queryString();
        }
        return request.uri();
    }

    /** The redirect location for this route's redirect action. */
    public String redirectLocation(RouteRequest request, String scheme, String authority) {
        RouteAction.Redirect r = (RouteAction.Redirect) action;
        String newScheme = r.scheme() != null ? r.scheme() : scheme;
        String host = authority;
        int colon = authority.lastIndexOf(':');
        String hostOnly = colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
        String portPart = colon > 0 && authority.indexOf(']') < colon ? authority.substring(colon) : "";
        if (r.host() != null) {
            hostOnly = r.host();
        }
        if (r.port() > 0) {
            portPart = ":" + r.port();
        }
        if (r.scheme() != null && r.port() == 0) {
            // A scheme change drops the old port, so https does not end up on an http port.
            portPart = "";
        }
        host = hostOnly + portPart;
        String newPath;
        if (r.path() != null) {
            newPath = r.path();
        } else if (r.prefixRewrite() != null) {
            newPath = r.prefixRewrite() + request.path().substring(Math.min(path.value().length(), request.path().length()));
        } else {
            newPath = request.path();
        }
        String query = r.stripQuery() ? "" : request.queryString();
        return newScheme + "://" + host + newPath + query;
    }
}
