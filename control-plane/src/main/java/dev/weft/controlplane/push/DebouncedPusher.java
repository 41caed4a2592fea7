package dev.weft.controlplane.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a {@link Debouncer} of push requests on one thread and hands each due burst to the push function
 * on that same thread, so pushes never overlap and a burst arriving during a push waits for the next one.
 */
public final class DebouncedPusher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DebouncedPusher.class.getName());

    private final Debouncer<PushRequest> debouncer;
    private final Clock clock;
    private final Consumer<PushRequest> push;
    /** Requests asked for so far; a request counts from the moment it is asked, before the push thread sees it. */
    private final AtomicLong requested = new AtomicLong();
    /** Requests offered to the debouncer; push thread only. */
    private long offered;
    /** How many requests the pushes so far have covered. */
    private volatile long pushedThrough;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weftd-push");
        t.setDaemon(true);
        return t;
    });

    public DebouncedPusher(Duration quietPeriod, Duration maxDelay, Clock clock, Consumer<PushRequest> push) {
        this.debouncer = new Debouncer<>(quietPeriod, maxDelay, PushRequest::merge);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.push = Objects.requireNonNull(push, "push");
    }

    public void request(PushRequest request) {
        requested.incrementAndGet();
        thread.execute(() -> {
            debouncer.offer(request, clock.instant());
            offered++;
            schedule();
        });
    }

    private void schedule() {
        debouncer.deadline().ifPresent(deadline -> {
            long delay = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
            thread.schedule(this::fireIfDue, delay, TimeUnit.NANOSECONDS);
        });
    }

    private void fireIfDue() {
        Instant now = clock.instant();
        debouncer.takeIfDue(now).ifPresent(request -> {
            long covered = offered;
            try {
                push.accept(request);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "push failed: " + request, e);
            } finally {
                pushedThrough = covered;
            }
        });
    }

    /** Whether every request asked for so far has been pushed (none is waiting out its debounce or being pushed). */
    public boolean idle() {
        return pushedThrough == requested.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
