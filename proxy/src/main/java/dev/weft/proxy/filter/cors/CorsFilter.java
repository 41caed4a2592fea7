package dev.weft.proxy.filter.cors;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.router.CorsPolicy;
import dev.weft.proxy.router.RouteAction;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Applies the matched route's CORS policy: answers preflight requests from allowed origins itself, and adds the
 * allow-origin headers to responses for allowed origins. Requests from other origins pass through untouched.
 */
final class CorsFilter implements HttpFilter {

    private CorsPolicy policy;
    private String origin;

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks exchange) {
        if (exchange.route() == null || !(exchange.route().action() instanceof RouteAction.Forward f) || f.cors() == null) {
            return FilterStatus.CONTINUE;
        }
        HttpHeaders h = exchange.request().headers();
        String requestOrigin = h.get("origin");
        if (requestOrigin == null || !f.cors().allows(requestOrigin)) {
            return FilterStatus.CONTINUE;
        }
        policy = f.cors();
        origin = requestOrigin;
        if (exchange.request().method().equals(HttpMethod.OPTIONS) && h.contains("access-control-request-method")) {
            DefaultFullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.EMPTY_BUFFER);
            HttpHeaders out = preflight.headers();
            set(out, "access-control-allow-methods", policy.allowMethods());
            set(out, "access-control-allow-headers", policy.allowHeaders());
            set(out, "access-control-max-age", policy.maxAge());
            exchange.setResponseCodeDetails(ResponseCodeDetails.CORS_RESPONSE);
            exchange.sendResponseHeaders(preflight);
            return FilterStatus.STOP;
        }
        return FilterStatus.CONTINUE;
    }

    @Override
    public void onResponseHeaders(StreamFilterCallbacks exchange, HttpResponse response) {
        if (policy == null) {
            return;
        }
        HttpHeaders out = response.headers();
        out.set("access-control-allow-origin", origin);
        if (policy.allowCredentials()) {
            out.set("access-control-allow-credentials", "true");
        }
        set(out, "access-control-expose-headers", policy.exposeHeaders());
    }

    private static void set(HttpHeaders headers, String name, String value) {
        if (value != null && !value.isEmpty()) {
            headers.set(name, value);
        }
    }
}
