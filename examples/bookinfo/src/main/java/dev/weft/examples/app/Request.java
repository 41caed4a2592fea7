package dev.weft.examples.app;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One inbound HTTP request, fully read.
 *
 * @param remoteAddress the peer's IP address, as text
 * @param pathParams    values captured by the matching route's {@code {name}} segments
 */
public record Request(
        String method, URI uri, Headers headers, byte[] body, String remoteAddress, Map<String, String> pathParams) {

    public Request {
        headers = Headers.of(headers);
        pathParams = Map.copyOf(pathParams);
    }

    public String path() {
        return uri.getPath() == null ? "/" : uri.getPath();
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.getFirst(name));
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    public Map<String, List<String>> query() {
        return FormEncoding.decode(uri.getRawQuery());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body decoded as an HTML form, whatever its declared content type. */
    public Map<String, List<String>> form() {
        return FormEncoding.decode(bodyText());
    }

    Request withPathParams(Map<String, String> params) {
        return new Request(method, uri, headers, body, remoteAddress, params);
    }
}
