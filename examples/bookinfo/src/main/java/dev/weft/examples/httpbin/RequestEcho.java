package dev.weft.examples.httpbin;

import dev.weft.examples.app.Json;
import dev.weft.examples.app.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a request that httpbin echoes back, in go-httpbin's shape (the image Istio's sample runs):
 * header names in Go's canonical form ({@code X-B3-Traceid}) and every header and argument as a list.
 */
final class RequestEcho {
    private RequestEcho() {
    }

    /** What {@code /get} answers. */
    static Map<String, Object> basic(Request request) {
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("args", request.query());
        echo.put("headers", headers(request));
        echo.put("method", request.method());
        echo.put("origin", origin(request));
        echo.put("url", url(request));
        return echo;
    }

    /** What {@code /anything} answers: the basic echo plus the body. */
    static Map<String, Object> withBody(Request request) {
        Map<String, Object> echo = basic(request);
        String contentType = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        echo.put("data", request.bodyText());
        echo.put("files", Map.of());
        echo.put("form", contentType.startsWith("application/x-www-form-urlencoded") ? request.form() : Map.of());
        echo.put("json", parseJsonOrNull(request.bodyText()));
        return echo;
    }

    static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new TreeMap<>();
        request.headers().forEach((name, values) -> headers.put(canonical(name), List.copyOf(values)));
        return headers;
    }

    /** The client address: the first X-Forwarded-For entry when a proxy set one, as httpbin reports it. */
    static String origin(Request request) {
        return request.header("X-Forwarded-For")
                .map(value -> value.split(",")[0].strip())
                .filter(value -> !value.isEmpty())
                .orElse(request.remoteAddress());
    }

    private static String url(Request request) {
        String host = request.header("Host").orElse("localhost");
        String proto = request.header("X-Forwarded-Proto").orElse("http");
        String query = request.uri().getRawQuery();
        return proto + "://" + host + request.uri().getRawPath() + (query == null ? "" : "?" + query);
    }

    /** Go's canonical MIME header key: each dash-separated word capitalised. */
    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static Object parseJsonOrNull(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return Json.parse(body);
        } catch (Json.JsonException e) {
            return null;
        }
    }
}
