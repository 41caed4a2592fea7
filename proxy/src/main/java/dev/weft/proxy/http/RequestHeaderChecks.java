package dev.weft.proxy.http;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the connection manager checks on request headers before routing, as Envoy does: the protocol version, the
 * request target (visible characters only), the transfer codings (RFC 9112 6.1: only chunked, and last), the
 * authority (RFC 9112: exactly one Host), the header count, and names with underscores. A request that fails gets a
 * local reply and its connection closes, since its framing can no longer be trusted. Runs before hop-by-hop headers
 * are removed, so it sees what the client sent.
 */
final class RequestHeaderChecks {

    private RequestHeaderChecks() {
    }

    /** A refused request: the status and Envoy's response code details. */
    record Rejection(int status, String details) {
    }

    /**
     * Checks (and for DROP_HEADER and HTTP/1.0's default host, edits) the headers.
     *
     * @return why the request is refused, or null when it may go on
     */
    static Rejection check(HttpRequest request, boolean http2, HttpProtocolOptions options, HttpStats stats) {
        HttpHeaders h = request.headers();
        String codec = http2 ? "http2." : "http1.";
        if (!http2 && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            if (!options.acceptHttp10()) {
                return new Rejection(426, ResponseCodeDetails.LOW_VERSION);
            }
            if (options.defaultHostForHttp10() != null && !h.contains(HttpHeaderNames.HOST)) {
                h.set(HttpHeaderNames.HOST, options.defaultHostForHttp10());
            }
        }
        if (options.maxHeadersCount() > 0 && h.size() > options.maxHeadersCount()) {
            return new Rejection(431, codec + "too_many_headers");
        }
        if (!visible(request.uri())) {
            return new Rejection(400, codec + "codec_error");
        }
        if (!http2) {
            int coding = transferCodings(h);
            if (coding != 0) {
                return new Rejection(coding, "http1.invalid_transfer_encoding");
            }
        }
        // HTTP/2's :authority arrives as Host; over HTTP/1 a second Host is a sign of smuggling.
        int hosts = h.getAll(HttpHeaderNames.HOST).size();
        if (hosts == 0) {
            return new Rejection(400, ResponseCodeDetails.MISSING_HOST_HEADER);
        }
        if (!http2 && hosts > 1) {
            return new Rejection(400, "http1.codec_error");
        }
        if (options.underscores() != HttpProtocolOptions.UnderscoresAction.ALLOW
                && underscores(h, options.underscores(), stats, http2)) {
            return new Rejection(400, codec + "unexpected_underscore");
        }
        return null;
    }

    /** RFC 9112 3.2: a request target is visible ASCII; a NUL, a control character or DEL in it is malformed. */
    private static boolean visible(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 9112 6.1 and 6.3: chunked must be the last coding (else 400), and a coding the proxy does not implement is
     * 501, so that no peer reads the body's length differently from the proxy.
     *
     * @return 0 when the codings are fine (none, or exactly chunked)
     */
    static int transferCodings(HttpHeaders h) {
        List<String> values = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (values.isEmpty()) {
            return 0;
        }
        List<String> codings = new ArrayList<>();
        for (String value : values) {
            for (String coding : value.split(",", -1)) {
                codings.add(coding.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (codings.contains("chunked") && !codings.getLast().equals("chunked")) {
            return 400;
        }
        return codings.equals(List.of("chunked")) ? 0 : 501;
    }

    /** Drops or counts headers with underscores; true when the request is to be refused for one. */
    private static boolean underscores(HttpHeaders h, HttpProtocolOptions.UnderscoresAction action, HttpStats stats,
            boolean http2) {
        List<String> named = null;
        for (Map.Entry<String, String> e : h) {
            if (e.getKey().indexOf('_') >= 0) {
                if (action == HttpProtocolOptions.UnderscoresAction.REJECT_REQUEST) {
                    stats.rejectedUnderscoreHeaders(http2).increment();
                    return true;
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
        return false;
    }
}
