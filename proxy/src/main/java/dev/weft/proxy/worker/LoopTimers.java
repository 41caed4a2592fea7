package dev.weft.proxy.worker;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request timers of one event loop (stream idle, request, route and per-try timeouts). A {@link Timer} is armed
 * and cancelled without allocating, in a heap ordered by deadline, and the loop holds one scheduled task, for the
 * earliest deadline. Scheduling on Netty instead costs a task object and a queue insert and removal per timer, three
 * or four times per request, for timeouts that almost never fire. Used on the loop's thread only; deadlines follow
 * the loop's ticker, so an embedded loop's {@code advanceTimeBy} moves them.
 */
public final class LoopTimers {

    private static final Logger LOG = Logger.getLogger(LoopTimers.class.getName());

    private final EventExecutor loop;
    private final Runnable expire = this::expire;
    private Timer[] heap = new Timer[16];
    private int size;
    private ScheduledFuture<?> wakeUp;
    private long wakeUpAt;

    public LoopTimers(EventExecutor loop) {
        this.loop = loop;
    }

    /** A timer that runs {@code action} on the loop when a deadline it was armed with passes. */
    public Timer timer(Runnable action) {
        return new Timer(action);
    }

    /** How many timers are armed. */
    public int armed() {
        return size;
    }

    public final class Timer {

        private final Runnable action;
        private long deadline;
        private int index = -1;

        private Timer(Runnable action) {
            this.action = action;
        }

        /** Runs the action {@code delayNanos} from now, instead of when it was due before if it was armed. */
        public void arm(long delayNanos) {
            long now = loop.ticker().nanoTime();
            if (index >= 0) {
                remove(this);
            }
            deadline = now + delayNanos;
            insert(this);
            wakeUpBy(deadline, now);
        }

        public void cancel() {
            if (index >= 0) {
                remove(this);
            }
        }

        public boolean isArmed() {
            return index >= 0;
        }
    }

    /** Has the loop wake up at {@code at} unless it already will by then; a later wake-up is replaced. */
    private void wakeUpBy(long at, long now) {
        if (wakeUp != null) {
            if (wakeUpAt - at <= 0) {
                return;
            }
            wakeUp.cancel(false);
        }
        wakeUpAt = at;
        wakeUp = loop.schedule(expire, Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    private void expire() {
        wakeUp = null;
        long now = loop.ticker().nanoTime();
        while (size > 0 && heap[0].deadline - now <= 0) {
            Timer due = heap[0];
            remove(due);
            try {
                due.action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a request timer failed", e);
            }
        }
        if (size > 0) {
            wakeUpBy(heap[0].deadline, now);
        }
    }

    private void insert(Timer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size++;
        siftUp(t.index);
    }

    private void remove(Timer t) {
        int i = t.index;
        t.index = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        heap[i] = last;
        last.index = i;
        siftDown(i);
        siftUp(last.index);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (p.deadline - t.deadline <= 0) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].deadline - heap[child].deadline < 0) {
                child++;
            }
            Timer c = heap[child];
            if (t.deadline - c.deadline <= 0) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
