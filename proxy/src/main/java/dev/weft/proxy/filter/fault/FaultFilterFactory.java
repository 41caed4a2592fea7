package dev.weft.proxy.filter.fault;

import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.HttpFilterFactory;
import java.util.function.Supplier;

/**
 * Makes the fault filter of one request. The stats are made on first use: a route's fault config counts under the
 * chain's fault filter it stands in for, so its own would only ever hold zeros.
 */
record FaultFilterFactory(FaultConfig config, Supplier<FaultStats> stats) implements HttpFilterFactory {

    @Override
    public HttpFilter create() {
        return new FaultFilter(config, stats.get());
    }

    @Override
    public HttpFilter createInPlaceOf(HttpFilterFactory chainFilter) {
        return chainFilter instanceof FaultFilterFactory chain ? new FaultFilter(config, chain.stats().get()) : create();
    }
}
