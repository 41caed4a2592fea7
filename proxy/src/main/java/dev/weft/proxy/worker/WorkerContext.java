package dev.weft.proxy.worker;

import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.runtime.RuntimeFlags;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.upstream.UpstreamWorker;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What an exchange needs from the event loop it runs on: config, time, randomness, upstream connections, and the
 * proxy's runtime values.
 */
public record WorkerContext(Supplier<ProxySnapshot> snapshots, Ticker ticker, Clock clock, RandomGenerator random,
        UpstreamWorker upstreams, RuntimeFlags runtime) {
}
