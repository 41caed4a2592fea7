package dev.weft.proxy.tracing;

import dev.weft.proxy.accesslog.AccessLogContext;

/**
 * A configured span tag: a literal or an environment variable (both read when the config arrives, as Envoy does),
 * or a request header with a default.
 *
 * @param header null for a fixed value
 * @param value the fixed value, or the header's default (null: no tag when the header is missing)
 */
record CustomTag(String tag, String header, String value) {

    /** The tag's value for a finished request, or null for none. */
    String valueFor(AccessLogContext request) {
        if (header == null) {
            return value;
        }
        String v = request.requestHeader(header);
        return v != null ? v : value;
    }
}
