package dev.weft.proxy.router;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetSocketAddress;

/** One source of the consistent-hash key: a header, a cookie, the source IP or a query parameter. */
public record HashPolicy(Kind kind, String name, boolean terminal) {

    public enum Kind { HEADER, COOKIE, SOURCE_IP, QUERY_PARAMETER }

    /** The hash of this policy's input, or null when the request lacks it. */
    Long hash(RouteRequest request, InetSocketAddress source) {
        String input = switch (kind) {
            case HEADER -> request.headers().get(name);
            case COOKIE -> cookie(request.headers());
            case SOURCE_IP -> source == null ? null : source.getAddress().getHostAddress();
            case QUERY_PARAMETER -> {
                var values = request.query().get(name);
                yield values == null ? null : values.get(0);
            }
        };
        return input == null ? null : HashPolicies.hashString(input);
    }

    private String cookie(HttpHeaders headers) {
        String header = headers.get("cookie");
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        return null;
    }
}
