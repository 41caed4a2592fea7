package dev.weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Requests sent to the proxy as an explicit HTTP proxy carry an absolute-form target
 * ({@code GET http://details:9080/details/0}). As RFC 9112 §3.2.2 says, the target's authority replaces
 * the Host header, and routing and the upstream see the origin-form path, as Envoy does with
 * {@code allow_absolute_url}.
 */
final class AbsoluteFormTarget {
    private AbsoluteFormTarget() {}

    /** Rewrites an absolute-form request in place to origin-form; other requests are left alone. */
    static void normalize(HttpRequest request) {
        String target = request.uri();
        int schemeEnd = schemeLength(target);
        if (schemeEnd < 0) {
            return;
        }
        int pathStart = schemeEnd;
        while (pathStart < target.length() && target.charAt(pathStart) != '/' && target.charAt(pathStart) != '?') {
            pathStart++;
        }
        String authority = target.substring(schemeEnd, pathStart);
        String rest = target.substring(pathStart);
        request.setUri(rest.isEmpty() ? "/" : rest.charAt(0) == '?' ? "/" + rest : rest);
        if (!authority.isEmpty()) {
            request.headers().set(HttpHeaderNames.HOST, authority);
        }
    }

    /** Length of {@code http://} or {@code https://} at the start, case-insensitively, or -1. */
    private static int schemeLength(String target) {
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (target.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }
}
