package dev.weft.proxy.listener;

import dev.weft.proxy.stats.Stats;
import java.util.concurrent.atomic.LongAdder;

/** A listener's TLS counters, as Envoy names them: {@code listener.<prefix>.ssl.handshake|connection_error}. */
record SslStats(LongAdder handshakes, LongAdder connectionErrors) {

    static final SslStats NONE = new SslStats(new LongAdder(), new LongAdder());

    static SslStats of(Stats stats, String prefix) {
        return new SslStats(stats.counter("listener." + prefix + ".ssl.handshake"),
                stats.counter("listener." + prefix + ".ssl.connection_error"));
    }
}
