package dev.weft.examples.app;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests inside an app's handlers, so stopping can wait for exactly those. (The JDK server's own
 * grace period also counts a kept-alive connection that a client is closing, and then waits it out in full.)
 */
final class InFlight {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;

    void enter() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            count--;
            if (count == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns true once no request is in flight, or false when the grace period ran out first. */
    boolean awaitIdle(Duration grace) {
        lock.lock();
        try {
            long remaining = grace.toNanos();
            while (count > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = idle.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return count == 0;
        } finally {
            lock.unlock();
        }
    }
}
