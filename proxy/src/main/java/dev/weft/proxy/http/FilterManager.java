package dev.weft.proxy.http;

import dev.weft.proxy.accesslog.AccessLogContext;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.HttpFilterFactory;
import dev.weft.proxy.filter.NamedFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.router.Route;
import dev.weft.proxy.router.VirtualHost;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One request's HTTP filter chain (Envoy's {@code FilterManager}): an instance of each configured filter, the
 * route's per-filter config taking the place of the chain's own, run in order on the request headers until one
 * stops, and in reverse order on the response headers. Filters reach the request only through
 * {@link StreamFilterCallbacks}.
 */
final class FilterManager {

    private final List<HttpFilter> filters;
    private final StreamFilterCallbacks stream;
    private final boolean logs;
    private int next;

    FilterManager(List<NamedFilter> chain, Route route, VirtualHost virtualHost, StreamFilterCallbacks stream) {
        this.stream = stream;
        this.filters = new ArrayList<>(chain.size());
        boolean anyLogs = false;
        for (NamedFilter f : chain) {
            HttpFilterFactory used = f.factory();
            if (route != null && route.filterOverride(f.name()) instanceof HttpFilterFactory override) {
                used = override;
            } else if (virtualHost != null && virtualHost.filterOverride(f.name()) instanceof HttpFilterFactory override) {
                used = override;
            }
            filters.add(used == f.factory() ? used.create() : used.createInPlaceOf(f.factory()));
            anyLogs |= used.logs();
        }
        this.logs = anyLogs;
    }

    /** Whether a filter of this request acts on {@link #onLog}. */
    boolean logs() {
        return logs;
    }

    /**
     * Runs the filters after the last one that ran, until one stops or {@code answered} says the request got its
     * answer.
     *
     * @return true when every filter let the request go on: nobody answered it
     */
    boolean decodeHeaders(BooleanSupplier answered) {
        while (!answered.getAsBoolean() && next < filters.size()) {
            if (filters.get(next++).onRequestHeaders(stream) == FilterStatus.STOP) {
                return false;
            }
        }
        return !answered.getAsBoolean();
    }

    /** The response headers pass the filters that saw the request, last first. */
    void encodeHeaders(HttpResponse response) {
        for (int i = Math.min(next, filters.size()) - 1; i >= 0; i--) {
            filters.get(i).onResponseHeaders(stream, response);
        }
    }

    /**
     * Tells every filter the request ended, however it ended.
     *
     * @return how many filters failed doing so (each failure is the filter's, and must not stop the others)
     */
    int onComplete() {
        int failures = 0;
        for (HttpFilter f : filters) {
            try {
                f.onComplete(stream);
            } catch (RuntimeException e) {
                failures++;
            }
        }
        return failures;
    }

    /** Gives every filter the finished exchange; returns how many failed, as {@link #onComplete()}. */
    int onLog(AccessLogContext finished) {
        int failures = 0;
        for (HttpFilter f : filters) {
            try {
                f.onLog(stream, finished);
            } catch (RuntimeException e) {
                failures++;
            }
        }
        return failures;
    }
}
