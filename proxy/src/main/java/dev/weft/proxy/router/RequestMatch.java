package dev.weft.proxy.router;

import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.List;

/**
 * A compiled {@code config.route.v3.RouteMatch} (path, headers, query parameters): what selects a route, and what
 * filters use to select requests as routes do (jwt_authn's rules).
 */
public final class RequestMatch {

    private final PathMatcher path;
    private final List<HeaderMatcher> headers;
    private final List<QueryParameterMatcher> queryParameters;

    private RequestMatch(PathMatcher path, List<HeaderMatcher> headers, List<QueryParameterMatcher> queryParameters) {
        this.path = path;
        this.headers = List.copyOf(headers);
        this.queryParameters = List.copyOf(queryParameters);
    }

    public static RequestMatch compile(RouteMatch match) {
        return new RequestMatch(PathMatcher.compile(match),
                match.getHeadersList().stream().map(HeaderMatcher::compile).toList(),
                match.getQueryParametersList().stream().map(QueryParameterMatcher::compile).toList());
    }

    PathMatcher path() {
        return path;
    }

    public boolean matches(RouteRequest request) {
        if (!path.matches(request.method(), request.path()) || !HeaderMatcher.allMatch(headers, request)) {
            return false;
        }
        for (QueryParameterMatcher q : queryParameters) {
            if (!q.matches(request.query())) {
                return false;
            }
        }
        return true;
    }
}
