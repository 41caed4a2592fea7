package dev.weft.proxy.router;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** What route matching looks at: the path without its query, the query (decoded only when asked), the headers. */
public final class RouteRequest {

    private final String method;
    private final String uri;
    private final String path;
    private final HttpHeaders headers;
    private final String scheme;
    private Map<String, List<String>> query;

    /** A request that arrived in plaintext, which is every request until listeners terminate TLS. */
    public RouteRequest(String method, String uri, HttpHeaders headers) {
        this(method, uri, headers, "http");
    }

    public RouteRequest(String method, String uri, HttpHeaders headers, String scheme) {
        this.scheme = scheme;
        this.method = method;
        this.uri = uri;
        int q = uri.indexOf('?');
        this.path = q < 0 ? uri : uri.substring(0, q);
        this.headers = headers;
    }

    public String method() {
        return method;
    }

    public String uri() {
        return uri;
    }

    public String path() {
        return path;
    }

    /** The downstream scheme, {@code :scheme}. */
    public String scheme() {
        return scheme;
    }

    /** The query string including its leading '?', or empty. */
    public String queryString() {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q);
    }

    public HttpHeaders headers() {
        return headers;
    }

    Map<String, List<String>> query() {
        if (query == null) {
            query = new QueryStringDecoder(uri).parameters();
        }
        return query;
    }
}
