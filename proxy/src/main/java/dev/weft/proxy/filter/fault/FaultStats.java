package dev.weft.proxy.filter.fault;

import dev.weft.proxy.stats.Stats;
import java.util.concurrent.atomic.LongAdder;

/**
 * Envoy's fault filter stats ({@code http.<prefix>.fault.delays_injected}, {@code aborts_injected},
 * {@code faults_overflow} and the gauge {@code active_faults}), under the stat prefix of the connection manager
 * whose chain holds the filter, also when a route's config replaced the chain's.
 */
record FaultStats(LongAdder delaysInjected, LongAdder abortsInjected, LongAdder faultsOverflow, LongAdder active) {

    static FaultStats of(Stats stats, String statPrefix) {
        String p = "http." + statPrefix + ".fault.";
        return new FaultStats(stats.counter(p + "delays_injected"), stats.counter(p + "aborts_injected"),
                stats.counter(p + "faults_overflow"), stats.gauge(p + "active_faults"));
    }
}
