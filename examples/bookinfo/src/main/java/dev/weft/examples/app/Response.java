package dev.weft.examples.app;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One HTTP response. A {@code chunked} response is sent with chunked transfer encoding instead of a
 * Content-Length, the way a streaming endpoint answers.
 */
public record Response(int status, Headers headers, byte[] body, boolean chunked) {
    public Response {
        headers = Headers.of(headers);
    }

    public static Response json(int status, Object value) {
        return of(status, "application/json", Json.write(value));
    }

    public static Response prettyJson(int status, Object value) {
        return of(status, "application/json", Json.writePretty(value));
    }

    public static Response html(int status, String html) {
        return of(status, "text/html; charset=utf-8", html);
    }

    public static Response text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text);
    }

    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, Headers.of(Map.of("Content-Type", List.of(contentType))), body, false);
    }

    public static Response empty(int status) {
        return new Response(status, new Headers(), new byte[0], false);
    }

    /** A 302 redirect to a path on the same server, as after a login form. */
    public static Response found(String location) {
        return empty(302).withHeader("Location", location);
    }

    private static Response of(int status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with one more header value; an existing value of the same name is kept. */
    public Response withHeader(String name, String value) {
        Headers copy = new Headers(headers);
        copy.add(name, value);
        return new Response(status, copy, body, chunked);
    }

    public Response asChunked() {
        return new Response(status, headers, body, true);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
