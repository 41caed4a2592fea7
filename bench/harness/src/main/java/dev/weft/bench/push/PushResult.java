package dev.weft.bench.push;

import dev.weft.bench.LatencySummary;

/**
 * One push measurement at one fleet size. Latencies are from the config change being accepted by weftd's HTTP
 * API to each proxy's ACK of the new routes; {@code afterDebounce} subtracts the debounce quiet period, which
 * weftd waits on purpose before it builds a push. {@code weftdThreads} is counted with the fleet synced; the load
 * averages are the machine's before and after this fleet size ran (others share it).
 */
record PushResult(int proxies, double syncSeconds, long heapBeforeKb, long heapAfterKb, double heapPerProxyKb,
        double cpuSecondsInitialSync, double cpuSecondsPush, int updated, LatencySummary fromChange,
        LatencySummary afterDebounce, long quietPeriodMillis, long maxDelayMillis, int weftdThreads, String loadBefore,
        String loadAfter, String error) {
}
