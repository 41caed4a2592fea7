package dev.weft.examples.app;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests inside an app's handlers and filters (its access log included), so stopping can wait for
 * exactly those. (The JDK server's own grace period also counts a kept-alive connection that a client is
 * closing, and then waits it out in full.)
 */
final class InFlight extends Filter {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        enter();
        try {
            chain.doFilter(exchange);
        } finally {
            exit();
        }
    }

    @Override
    public String description() {
        return "counts requests in flight";
    }

    private void enter() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    private void exit() {
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
