package dev.weft.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples a process tree's RSS every 100 ms while a load runs and keeps the peak. */
final class PeakRssSampler implements AutoCloseable {

    private final AtomicLong peakKb = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-sampler");
        t.setDaemon(true);
        return t;
    });

    PeakRssSampler(ProcessTree tree) {
        timer.scheduleAtFixedRate(() -> peakKb.accumulateAndGet(tree.sample().rssKb(), Math::max),
                0, 100, TimeUnit.MILLISECONDS);
    }

    long peakKb() {
        return peakKb.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
