package dev.weft.proxy.http;

import java.time.Duration;

/**
 * The connection manager's protocol limits: Envoy's {@code common_http_protocol_options},
 * {@code http_protocol_options} (HTTP/1) and {@code http2_protocol_options}, with Envoy's defaults. Zero durations
 * and counts mean "no limit".
 *
 * @param idleTimeout how long a connection may carry no request before it is closed (Envoy: 1 h)
 * @param maxConnectionDuration how long a connection may live before it drains
 * @param maxRequestsPerConnection requests served on one connection before it drains
 * @param maxHeadersCount request headers allowed; past this the request gets 431 (Envoy: 100)
 * @param underscores what to do with a request header whose name has an underscore
 * @param acceptHttp10 whether HTTP/1.0 requests are served; Envoy answers 426 when not
 * @param defaultHostForHttp10 the authority given to an HTTP/1.0 request without Host, if any
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS advertised to HTTP/2 clients
 */
public record HttpProtocolOptions(Duration idleTimeout, Duration maxConnectionDuration, int maxRequestsPerConnection,
        int maxHeadersCount, UnderscoresAction underscores, boolean acceptHttp10, String defaultHostForHttp10,
        long maxConcurrentStreams) {

    /** Envoy's defaults for a connection manager that sets none of these. */
    public static final HttpProtocolOptions DEFAULTS = new HttpProtocolOptions(Duration.ofHours(1), Duration.ZERO, 0,
            100, UnderscoresAction.ALLOW, false, null, Integer.MAX_VALUE);

    /** Envoy's {@code headers_with_underscores_action}. */
    public enum UnderscoresAction { ALLOW, REJECT_REQUEST, DROP_HEADER }
}
