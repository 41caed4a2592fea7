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
    }

    void recordResponse(int status) {
        if (status >= 100 && status < 600) {
            byClass[status / 100].increment();
        }
    }
}
