package dev.weft.proxy.filter.fault;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.streaminfo.ResponseFlag;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Injects a delay and/or an abort into a share of requests. Header-controlled faults read
 * {@code x-envoy-fault-delay-request} (ms), {@code x-envoy-fault-abort-request} (status) and
 * {@code x-envoy-fault-abort-grpc-request}, with optional {@code ...-percentage} headers.
 */
final class FaultFilter implements HttpFilter {

    private final FaultConfig config;
    private final FaultStats stats;
    private ScheduledFuture<?> delayTimer;
    private boolean counted;

    FaultFilter(FaultConfig config, FaultStats stats) {
        this.config = config;
        this.stats = stats;
    }

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks exchange) {
        HttpHeaders h = exchange.request().headers();
        long delayMillis = delayMillis(h, exchange);
        boolean abort = shouldAbort(h, exchange);
        if ((delayMillis > 0 || abort) && !admit()) {
            return FilterStatus.CONTINUE;
        }
        if (delayMillis > 0) {
            stats.delaysInjected().increment();
            exchange.addFlag(ResponseFlag.DELAY_INJECTED);
            delayTimer = exchange.eventLoop().schedule(() -> {
                delayTimer = null;
                if (abort) {
                    abort(exchange, h);
                } else {
                    exchange.resume();
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
            return FilterStatus.STOP;
        }
        if (abort) {
            abort(exchange, h);
            return FilterStatus.STOP;
        }
        return FilterStatus.CONTINUE;
    }

    /** Envoy's check too is a read then an add: event loops racing may pass the limit by a few. */
    private boolean admit() {
        if (stats.active().sum() >= config.maxActiveFaults()) {
            stats.faultsOverflow().increment();
            return false;
        }
        stats.active().increment();
        counted = true;
        return true;
    }

    private long delayMillis(HttpHeaders h, StreamFilterCallbacks exchange) {
        FaultConfig.Delay d = config.delay();
        if (d == null) {
            return 0;
        }
        long millis;
        if (d.fromHeader()) {
            millis = parse(h.get("x-envoy-fault-delay-request"), -1);
            if (millis <= 0) {
                return 0;
            }
        } else {
            millis = d.fixed().toMillis();
        }
        int numerator = d.fromHeader() ? (int) Math.min(d.numerator(),
                parse(h.get("x-envoy-fault-delay-request-percentage"), d.numerator())) : d.numerator();
        return draw(exchange, numerator, d.denominator()) ? millis : 0;
    }

    private boolean shouldAbort(HttpHeaders h, StreamFilterCallbacks exchange) {
        FaultConfig.Abort a = config.abort();
        if (a == null) {
            return false;
        }
        if (a.fromHeader() && h.get("x-envoy-fault-abort-request") == null
                && h.get("x-envoy-fault-abort-grpc-request") == null) {
            return false;
        }
        int numerator = a.fromHeader() ? (int) Math.min(a.numerator(),
                parse(h.get("x-envoy-fault-abort-request-percentage"), a.numerator())) : a.numerator();
        return draw(exchange, numerator, a.denominator());
    }

    private static boolean draw(StreamFilterCallbacks exchange, int numerator, int denominator) {
        return numerator >= denominator || exchange.worker().random().nextInt(denominator) < numerator;
    }

    private void abort(StreamFilterCallbacks exchange, HttpHeaders h) {
        stats.abortsInjected().increment();
        FaultConfig.Abort a = config.abort();
        int status = a.fromHeader() ? (int) parse(h.get("x-envoy-fault-abort-request"), 503) : a.httpStatus();
        if (status < 200 || status >= 600) {
            status = 503;
        }
        if (a.grpcStatus() >= 0 || (a.fromHeader() && h.get("x-envoy-fault-abort-grpc-request") != null)) {
            int grpc = a.fromHeader() ? (int) parse(h.get("x-envoy-fault-abort-grpc-request"), 14) : a.grpcStatus();
            exchange.sendGrpcLocalReply(grpc, "fault filter abort", ResponseFlag.FAULT_INJECTED,
                    ResponseCodeDetails.FAULT_FILTER_ABORT);
            return;
        }
        exchange.sendLocalReply(status, "fault filter abort", ResponseFlag.FAULT_INJECTED,
                ResponseCodeDetails.FAULT_FILTER_ABORT);
    }

    private static long parse(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void onComplete(StreamFilterCallbacks exchange) {
        if (delayTimer != null) {
            delayTimer.cancel(false);
        }
        if (counted) {
            stats.active().decrement();
        }
    }
}
