package dev.weft.proxy.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.Locale;

/**
 * A request header named by config. As in Envoy, the pseudo-headers ({@code :method}, {@code :authority},
 * {@code :path}, {@code :scheme}) read the request's method, authority (Host on HTTP/1.1), path and scheme the same
 * on HTTP/1.1 as on HTTP/2; Istio names them in route matches and in PassthroughCluster's original-destination header.
 */
public final class RequestHeader {

    /** Which part of the request the header reads: a regular header, or one of the pseudo-headers. */
    private enum Source { HEADER, METHOD, AUTHORITY, PATH, SCHEME }

    private final String name;
    private final Source source;

    private RequestHeader(String name, Source source) {
        this.name = name;
        this.source = source;
    }

    public static RequestHeader named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return new RequestHeader(lower, switch (lower) {
            case ":method" -> Source.METHOD;
            case ":authority" -> Source.AUTHORITY;
            case ":path" -> Source.PATH;
            case ":scheme" -> Source.SCHEME;
            default -> Source.HEADER;
        });
    }

    List<String> values(RouteRequest request) {
        return switch (source) {
            case METHOD -> List.of(request.method());
            case AUTHORITY -> request.headers().getAll(HttpHeaderNames.HOST);
            case PATH -> List.of(request.uri());
            case SCHEME -> List.of(request.scheme());
            case HEADER -> request.headers().getAll(name);
        };
    }

    /** The first value, or null when the request has none. */
    public String first(RouteRequest request) {
        List<String> values = values(request);
        return values.isEmpty() ? null : values.get(0);
    }
}
