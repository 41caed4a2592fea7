package dev.weft.proxy.http;

import dev.weft.proxy.stats.Histogram;
import dev.weft.proxy.stats.Stats;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one http_connection_manager, resolved once at config time. */
public final class HttpStats {

    final LongAdder requests;
    final LongAdder active;
    final LongAdder[] byClass = new LongAdder[6];
    final LongAdder protocolErrors;
    final LongAdder headersTimeouts;
    final LongAdder idleTimeouts;
    final LongAdder handlerErrors;
    final LongAdder connectionErrors;
    final Histogram requestTime;
    final LongAdder idleConnectionTimeouts;
    final LongAdder maxDurationReached;
    final LongAdder maxRequestsReached;
    /** Envoy keeps these per codec at the root ({@code http1.*}, {@code http2.*}); index 0 is HTTP/1, 1 is HTTP/2. */
    private final LongAdder[] rejectedUnderscoreHeaders = new LongAdder[2];
    private final LongAdder[] droppedUnderscoreHeaders = new LongAdder[2];

    public HttpStats(Stats stats, String statPrefix) {
        String p = "http." + statPrefix + ".";
        requests = stats.counter(p + "downstream_rq_total");
        active = stats.gauge(p + "downstream_rq_active");
        for (int i = 1; i <= 5; i++) {
            byClass[i] = stats.counter(p + "downstream_rq_" + i + "xx");
        }
        protocolErrors = stats.counter(p + "downstream_cx_protocol_error");
        headersTimeouts = stats.counter(p + "downstream_rq_header_timeout");
        idleTimeouts = stats.counter(p + "downstream_rq_idle_timeout");
        handlerErrors = stats.counter(p + "downstream_rq_handler_error");
        connectionErrors = stats.counter(p + "downstream_cx_error");
        requestTime = stats.histogram(p + "downstream_rq_time");
        idleConnectionTimeouts = stats.counter(p + "downstream_cx_idle_timeout");
        maxDurationReached = stats.counter(p + "downstream_cx_max_duration_reached");
        maxRequestsReached = stats.counter(p + "downstream_cx_max_requests_reached");
        for (int i = 0; i < 2; i++) {
            String codec = i == 0 ? "http1." : "http2.";
            rejectedUnderscoreHeaders[i] = stats.counter(codec + "requests_rejected_with_underscores_in_headers");
            droppedUnderscoreHeaders[i] = stats.counter(codec + "dropped_headers_with_underscores");
        }
    }

    LongAdder rejectedUnderscoreHeaders(boolean http2) {
        return rejectedUnderscoreHeaders[http2 ? 1 : 0];
    }

    LongAdder droppedUnderscoreHeaders(boolean http2) {
        return droppedUnderscoreHeaders[http2 ? 1 : 0];
    }

    void recordResponse(int status) {
        if (status >= 100 && status < 600) {
            byClass[status / 100].increment();
        }
    }
}
