package dev.weft.examples.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An app's routing table: method + path pattern to endpoint. A pattern is made of literal segments,
 * {@code {name}} segments that capture one segment, and an optional final {@code *} that matches any rest.
 * An unknown path gets 404 and a known path with another method gets 405, never an exception.
 */
public final class Routes {
    private static final String ANY_METHOD = "*";

    private record Route(String method, List<String> segments, Endpoint endpoint) {
        Optional<Map<String, String>> match(List<String> path) {
            boolean rest = !segments.isEmpty() && segments.getLast().equals("*");
            int fixed = rest ? segments.size() - 1 : segments.size();
            if (rest ? path.size() < fixed : path.size() != fixed) {
                return Optional.empty();
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < fixed; i++) {
                String pattern = segments.get(i);
                if (pattern.startsWith("{") && pattern.endsWith("}")) {
                    params.put(pattern.substring(1, pattern.length() - 1), path.get(i));
                } else if (!pattern.equals(path.get(i))) {
                    return Optional.empty();
                }
            }
            return Optional.of(params);
        }

        boolean allows(String requestMethod) {
            return method.equals(ANY_METHOD)
                    || method.equals(requestMethod)
                    || (method.equals("GET") && requestMethod.equals("HEAD"));
        }
    }

    private final List<Route> routes;

    private Routes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Finds the endpoint for the request and runs it. */
    public Response dispatch(Request request) {
        List<String> path = segments(request.path());
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (route.allows(request.method())) {
                return route.endpoint().handle(request.withPathParams(params.get()));
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            return Response.text(404, "404 page not found: " + request.path() + "\n");
        }
        return Response.text(405, "405 method not allowed: " + request.method() + " " + request.path() + "\n")
                .withHeader("Allow", String.join(", ", allowed));
    }

    private static List<String> segments(String path) {
        List<String> result = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                result.add(part);
            }
        }
        return result;
    }

    /** Collects routes in order; the first route whose path and method match wins. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        public Builder get(String pattern, Endpoint endpoint) {
            return add("GET", pattern, endpoint);
        }

        public Builder post(String pattern, Endpoint endpoint) {
            return add("POST", pattern, endpoint);
        }

        public Builder delete(String pattern, Endpoint endpoint) {
            return add("DELETE", pattern, endpoint);
        }

        public Builder anyMethod(String pattern, Endpoint endpoint) {
            return add(ANY_METHOD, pattern, endpoint);
        }

        private Builder add(String method, String pattern, Endpoint endpoint) {
            routes.add(new Route(method, segments(pattern), endpoint));
            return this;
        }

        public Routes build() {
            return new Routes(routes);
        }
    }
}
