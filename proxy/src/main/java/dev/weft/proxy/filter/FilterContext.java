package dev.weft.proxy.filter;

import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.stats.Stats;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** What filter configs may use at config time: the clock, a random source per thread, and the stats. */
public record FilterContext(Ticker ticker, Supplier<RandomGenerator> random, Stats stats, String statPrefix) {
}
