package dev.weft.proxy.filter.jwt;

import dev.weft.proxy.router.RouteRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a provider looks for tokens: a header (after an exact value prefix such as {@code "Bearer "}), a query
 * parameter or a cookie. Without any configured, Envoy's defaults: {@code Authorization: Bearer <t>}, then the
 * {@code access_token} parameter.
 */
sealed interface TokenLocation {

    List<TokenLocation> DEFAULTS = List.of(new Header("authorization", "Bearer "), new Param("access_token"));

    /** The tokens this location holds in the request; a header may appear several times. */
    List<String> extract(RouteRequest request);

    /** Takes the token out of the request before it goes upstream (forward: false); only headers are removed. */
    default void remove(RouteRequest request) {
    }

    record Header(String name, String prefix) implements TokenLocation {
        @Override
        public List<String> extract(RouteRequest request) {
            List<String> tokens = new ArrayList<>();
            for (String value : request.headers().getAll(name)) {
                if (value.startsWith(prefix) && value.length() > prefix.length()) {
                    tokens.add(value.substring(prefix.length()).strip());
                }
            }
            return tokens;
        }

        @Override
        public void remove(RouteRequest request) {
            request.headers().remove(name);
        }
    }

    record Param(String name) implements TokenLocation {
        @Override
        public List<String> extract(RouteRequest request) {
            if (request.queryString().isEmpty()) {
                return List.of();
            }
            return new QueryStringDecoder(request.uri()).parameters().getOrDefault(name, List.of());
        }
    }

    record CookieLocation(String name) implements TokenLocation {
        @Override
        public List<String> extract(RouteRequest request) {
            List<String> tokens = new ArrayList<>();
            for (String header : request.headers().getAll(HttpHeaderNames.COOKIE)) {
                for (Cookie c : ServerCookieDecoder.LAX.decodeAll(header)) {
                    if (c.name().equals(name)) {
                        tokens.add(c.value());
                    }
                }
            }
            return tokens;
        }
    }
}
