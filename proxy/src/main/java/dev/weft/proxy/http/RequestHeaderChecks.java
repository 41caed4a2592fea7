package dev.weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the connection manager checks on request headers before routing, as Envoy does: the protocol version, the
 * authority (RFC 9112: exactly one Host), the header count, and names with underscores. A request that fails gets a
 * local reply and its connection closes, since its framing can no longer be trusted.
 */
final class RequestHeaderChecks {

    private RequestHeaderChecks() {
    }

    /**
     * Checks (and for DROP_HEADER and HTTP/1.0's default host, edits) the headers.
     *
     * @return the status to refuse the request with, or 0 when it may go on
     */
    static int check(HttpRequest request, boolean http2, HttpProtocolOptions options, HttpStats stats) {
        HttpHeaders h = request.headers();
        if (!http2 && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            if (!options.acceptHttp10()) {
                return 426;
            }
            if (options.defaultHostForHttp10() != null && !h.contains(HttpHeaderNames.HOST)) {
                h.set(HttpHeaderNames.HOST, options.defaultHostForHttp10());
            }
        }
        if (options.maxHeadersCount() > 0 && h.size() > options.maxHeadersCount()) {
            return 431;
        }
        // HTTP/2's :authority arrives as Host; over HTTP/1 a second Host is a sign of smuggling.
        int hosts = h.getAll(HttpHeaderNames.HOST).size();
        if (hosts == 0 || (!http2 && hosts > 1)) {
            return 400;
        }
        if (options.underscores() != HttpProtocolOptions.UnderscoresAction.ALLOW) {
            return underscores(h, options.underscores(), stats, http2);
        }
        return 0;
    }

    private static int underscores(HttpHeaders h, HttpProtocolOptions.UnderscoresAction action, HttpStats stats,
            boolean http2) {
        List<String> named = null;
        for (Map.Entry<String, String> e : h) {
            if (e.getKey().indexOf('_') >= 0) {
                if (action == HttpProtocolOptions.UnderscoresAction.REJECT_REQUEST) {
                    stats.rejectedUnderscoreHeaders(http2).increment();
                    return 400;
                }
                if (named == null) {
                    named = new ArrayList<>(2);
                }
                named.add(e.getKey());
            }
        }
        if (named != null) {
            named.forEach(h::remove);
            stats.droppedUnderscoreHeaders(http2).add(named.size());
        }
        return 0;
    }
}
