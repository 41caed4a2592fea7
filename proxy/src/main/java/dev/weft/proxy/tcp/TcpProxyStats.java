package dev.weft.proxy.tcp;

import dev.weft.proxy.stats.Stats;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one tcp_proxy, named as Envoy names them, resolved once at config time. */
public final class TcpProxyStats {

    final LongAdder connections;
    final LongAdder active;
    final LongAdder receivedBytes;
    final LongAdder sentBytes;
    final LongAdder idleTimeouts;
    final LongAdder noRoute;
    final LongAdder connectFailures;

    public TcpProxyStats(Stats stats, String statPrefix) {
        String p = "tcp." + statPrefix + ".";
        connections = stats.counter(p + "downstream_cx_total");
        active = stats.gauge(p + "downstream_cx_active");
        receivedBytes = stats.counter(p + "downstream_cx_rx_bytes_total");
        sentBytes = stats.counter(p + "downstream_cx_tx_bytes_total");
        idleTimeouts = stats.counter(p + "idle_timeout");
        noRoute = stats.counter(p + "downstream_cx_no_route");
        connectFailures = stats.counter(p + "upstream_cx_connect_fail");
    }
}
