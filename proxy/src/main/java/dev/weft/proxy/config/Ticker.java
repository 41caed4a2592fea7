package dev.weft.proxy.config;

/** A monotonic clock in nanoseconds, injected so tests can move time instead of waiting for it. */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
