package dev.weft.controlplane.push;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BinaryOperator;

/**
 * Coalesces bursts of change events into one push, as istiod does: a push fires once no event arrived
 * for {@code quietPeriod}, or {@code maxDelay} after the first event of the burst, whichever is first.
 * Pure state machine: callers pass the current time, so tests need no clock and no sleeps.
 * Not thread-safe; {@link DebouncedPusher} confines it to one thread.
 */
public final class Debouncer<T> {

    private final Duration quietPeriod;
    private final Duration maxDelay;
    private final BinaryOperator<T> merge;
    private T pending;
    private Instant firstEvent;
    private Instant lastEvent;

    public Debouncer(Duration quietPeriod, Duration maxDelay, BinaryOperator<T> merge) {
        if (quietPeriod.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("debounce durations must not be negative");
        }
        this.quietPeriod = quietPeriod;
        this.maxDelay = maxDelay;
        this.merge = Objects.requireNonNull(merge, "merge");
    }

    public void offer(T event, Instant now) {
        if (pending == null) {
            pending = event;
            firstEvent = now;
        } else {
            pending = merge.apply(pending, event);
        }
        lastEvent = now;
    }

    /** When the pending burst becomes due, if one is pending. */
    public Optional<Instant> deadline() {
        if (pending == null) {
            return Optional.empty();
        }
        Instant quiet = lastEvent.plus(quietPeriod);
        Instant latest = firstEvent.plus(maxDelay);
        return Optional.of(quiet.isBefore(latest) ? quiet : latest);
    }

    /** The merged burst, if its deadline has passed; the debouncer is then empty again. */
    public Optional<T> takeIfDue(Instant now) {
        Optional<Instant> deadline = deadline();
        if (deadline.isEmpty() || now.isBefore(deadline.get())) {
            return Optional.empty();
        }
        T due = pending;
        pending = null;
        firstEvent = null;
        lastEvent = null;
        return Optional.of(due);
    }
}
