package dev.weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;

/** Headers that describe one hop and must not be forwarded to the next. */
final class HopByHopHeaders {

    private HopByHopHeaders() {
    }

    static void stripRequest(HttpHeaders h, boolean fromHttp2) {
        stripConnectionHeaders(h);
        // "te: trailers" is end-to-end for gRPC; any other te value is hop-by-hop.
        String te = h.get(HttpHeaderNames.TE);
        if (te != null && !te.equalsIgnoreCase("trailers")) {
            h.remove(HttpHeaderNames.TE);
        }
        if (fromHttp2) {
            h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
            h.remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
            h.remove(HttpConversionUtil.ExtensionHeaderNames.PATH.text());
            h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text());
            h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text());
        }
    }

    static void stripResponse(HttpHeaders h) {
        stripConnectionHeaders(h);
        h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
    }

    @SuppressWarnings("deprecation") // deprecated fields still arrive from control planes and old clients
    private static void stripConnectionHeaders(HttpHeaders h) {
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String named : connection.split(",")) {
                String name = named.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("upgrade")) {
                    h.remove(name);
                }
            }
        }
        h.remove(HttpHeaderNames.CONNECTION);
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(HttpHeaderNames.PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        h.remove(HttpHeaderNames.UPGRADE);
    }
}
