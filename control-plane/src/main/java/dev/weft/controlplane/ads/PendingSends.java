package dev.weft.controlplane.ads;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When one stream writes. Sends are asked for per type and coalesce: a newer push of a type replaces one not yet
 * written, so a proxy that stops reading holds at most one pending send per type, never a queue of pushes. They run
 * on the shared bounded executor, one at a time per stream, and only while gRPC says the stream is ready (the
 * proxy's flow-control window has room); the stream's onReady handler resumes them. Each prepared response takes its
 * size from the shared {@link SendBudget} before it is written; when the budget is spent, the stream parks that one
 * response, frees its worker, and resumes when the budget grants it.
 */
final class PendingSends {

    private static final Logger LOG = Logger.getLogger(PendingSends.class.getName());

    /** A response ready to write, and its size on the wire. */
    record Response(long bytes, Runnable send) {
    }

    /** Prepares one type's response; empty when there is nothing to send. */
    interface Preparer {
        Optional<Response> prepare(XdsType type, long version, boolean always);
    }

    private record Pending(long version, boolean always) {

        Pending merge(Pending later) {
            return new Pending(Math.max(version, later.version), always || later.always);
        }
    }

    private final Executor executor;
    private final SendBudget budget;
    private final BooleanSupplier ready;
    private final Preparer preparer;
    private final Map<XdsType, Pending> pending = new EnumMap<>(XdsType.class);
    private boolean draining;
    /** A prepared response waiting for the budget; it goes out before anything else of this stream. */
    private Response parked;
    private boolean parkedGranted;

    PendingSends(Executor executor, SendBudget budget, BooleanSupplier ready, Preparer preparer) {
        this.executor = executor;
        this.budget = budget;
        this.ready = ready;
        this.preparer = preparer;
    }

    void request(XdsType type, long version, boolean always) {
        synchronized (this) {
            pending.merge(type, new Pending(version, always), Pending::merge);
        }
        resume();
    }

    /** Whether nothing is waiting to be written or being written. */
    synchronized boolean idle() {
        return pending.isEmpty() && !draining && parked == null;
    }

    /** Starts writing if there is something to write and the stream (or the budget) allows; called on every change. */
    void resume() {
        synchronized (this) {
            if (draining || !canWrite()) {
                return;
            }
            draining = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException shuttingDown) {
            synchronized (this) {
                draining = false;
            }
        }
    }

    private boolean canWrite() {
        if (parked != null) {
            return parkedGranted;
        }
        return !pending.isEmpty() && ready.getAsBoolean();
    }

    private void granted() {
        synchronized (this) {
            parkedGranted = true;
        }
        resume();
    }

    /** Types go out in enum order (clusters before endpoints, listeners before routes), as long as the stream is ready. */
    private void drain() {
        while (true) {
            Response next;
            XdsType type = null;
            Pending asked = null;
            synchronized (this) {
                if (!canWrite()) {
                    draining = false;
                    return;
                }
                next = parked;
                if (next != null) {
                    parked = null;
                    parkedGranted = false;
                } else {
                    type = pending.keySet().iterator().next();
                    asked = pending.remove(type);
                }
            }
            if (next == null) {
                next = prepare(type, asked).orElse(null);
                if (next == null || !takeBudget(next)) {
                    continue;
                }
            }
            try {
                next.send().run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "writing a response failed", e);
            }
        }
    }

    private Optional<Response> prepare(XdsType type, Pending asked) {
        try {
            return preparer.prepare(type, asked.version, asked.always);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "preparing " + type.shortName() + " failed", e);
            return Optional.empty();
        }
    }

    /** True if the response may go now; else it is parked, and the loop's next turn stops unless already granted. */
    private boolean takeBudget(Response response) {
        synchronized (this) {
            parked = response;
            parkedGranted = false;
        }
        if (budget.acquire(response.bytes(), this::granted)) {
            synchronized (this) {
                parked = null;
            }
            return true;
        }
        return false;
    }
}
