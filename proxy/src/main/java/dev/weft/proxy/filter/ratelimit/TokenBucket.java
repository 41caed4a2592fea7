package dev.weft.proxy.filter.ratelimit;

import dev.weft.proxy.config.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket shared by all event loops without a lock: the state (tokens, time of the last fill) is packed in
 * two atomics and updated by compare-and-set. Tokens are added in whole fill intervals, as Envoy does.
 */
final class TokenBucket {

    private final long maxTokens;
    private final long tokensPerFill;
    private final long fillIntervalNanos;
    private final Ticker ticker;
    private final AtomicLong tokens;
    private final AtomicLong lastFillNanos;

    TokenBucket(long maxTokens, long tokensPerFill, long fillIntervalNanos, Ticker ticker) {
        this.maxTokens = maxTokens;
        this.tokensPerFill = tokensPerFill;
        this.fillIntervalNanos = fillIntervalNanos;
        this.ticker = ticker;
        this.tokens = new AtomicLong(maxTokens);
        this.lastFillNanos = new AtomicLong(ticker.nanos());
    }

    boolean tryTake() {
        refill();
        while (true) {
            long now = tokens.get();
            if (now <= 0) {
                return false;
            }
            if (tokens.compareAndSet(now, now - 1)) {
                return true;
            }
        }
    }

    private void refill() {
        long now = ticker.nanos();
        long last = lastFillNanos.get();
        long intervals = (now - last) / fillIntervalNanos;
        if (intervals <= 0) {
            return;
        }
        if (lastFillNanos.compareAndSet(last, last + intervals * fillIntervalNanos)) {
            long add = intervals > maxTokens ? maxTokens : intervals * tokensPerFill;
            tokens.accumulateAndGet(add, (cur, a) -> Math.min(maxTokens, cur + a));
        }
    }
}
