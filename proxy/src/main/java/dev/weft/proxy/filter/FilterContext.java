package dev.weft.proxy.filter;

import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.istio.IstioMetrics;
import dev.weft.proxy.istio.WorkloadMetadata;
import dev.weft.proxy.stats.Stats;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What filter configs may use at config time: the clock, a random source per thread, the stats, and the proxy's
 * Istio metrics (which know the proxy's own workload).
 */
public record FilterContext(Ticker ticker, Supplier<RandomGenerator> random, Stats stats, String statPrefix,
        IstioMetrics istioMetrics) {

    /** For a proxy that knows nothing of its workload (tests, static bootstraps). */
    public FilterContext(Ticker ticker, Supplier<RandomGenerator> random, Stats stats, String statPrefix) {
        this(ticker, random, stats, statPrefix, new IstioMetrics(WorkloadMetadata.UNKNOWN));
    }
}
