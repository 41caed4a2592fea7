package dev.weft.proxy.listener;

import dev.weft.proxy.stats.Stats;
import java.util.concurrent.atomic.LongAdder;

/**
 * A listener's counters, as Envoy names them: {@code listener.<prefix>.downstream_cx_total} (connections this
 * listener serves, including those handed over to it by an original-destination listener) and
 * {@code listener.<prefix>.ssl.handshake|connection_error}, and {@code downstream_global_cx_overflow}
 * (connections closed at once because the proxy held its most).
 */
record ListenerStats(LongAdder connections, LongAdder handshakes, LongAdder connectionErrors,
        LongAdder globalOverflows) {

    static final ListenerStats NONE = new ListenerStats(new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder());

    static ListenerStats of(Stats stats, String prefix) {
        return new ListenerStats(stats.counter("listener." + prefix + ".downstream_cx_total"),
                stats.counter("listener." + prefix + ".ssl.handshake"),
                stats.counter("listener." + prefix + ".ssl.connection_error"),
                stats.counter("listener." + prefix + ".downstream_global_cx_overflow"));
    }
}
