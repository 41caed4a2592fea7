package dev.weft.controlplane.ads;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When one stream writes. Sends are asked for per type and coalesce: a newer push of a type replaces one not yet
 * written, so a proxy that stops reading holds at most one pending send per type, never a queue of pushes. They run
 * on the shared bounded executor, one at a time per stream, and only while gRPC says the stream is ready (the
 * proxy's flow-control window has room); the stream's onReady handler resumes them.
 */
final class PendingSends {

    private static final Logger LOG = Logger.getLogger(PendingSends.class.getName());

    /** Writes one type's response now; {@code always} when the proxy asked, so even unchanged content is answered. */
    interface Writer {
        void write(XdsType type, long version, boolean always);
    }

    private record Pending(long version, boolean always) {

        Pending merge(Pending later) {
            return new Pending(Math.max(version, later.version), always || later.always);
        }
    }

    private final Executor executor;
    private final BooleanSupplier ready;
    private final Writer writer;
    private final Map<XdsType, Pending> pending = new EnumMap<>(XdsType.class);
    private boolean draining;

    PendingSends(Executor executor, BooleanSupplier ready, Writer writer) {
        this.executor = executor;
        this.ready = ready;
        this.writer = writer;
    }

    void request(XdsType type, long version, boolean always) {
        synchronized (this) {
            pending.merge(type, new Pending(version, always), Pending::merge);
        }
        resume();
    }

    /** Whether nothing is waiting to be written or being written. */
    synchronized boolean idle() {
        return pending.isEmpty() && !draining;
    }

    /** Starts writing if anything is pending and the stream can take it; called again by the onReady handler. */
    void resume() {
        synchronized (this) {
            if (draining || pending.isEmpty() || !ready.getAsBoolean()) {
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

    /** Types go out in enum order (clusters before endpoints, listeners before routes), as long as the stream is ready. */
    private void drain() {
        while (true) {
            XdsType type;
            Pending next;
            synchronized (this) {
                if (pending.isEmpty() || !ready.getAsBoolean()) {
                    draining = false;
                    return;
                }
                type = pending.keySet().iterator().next();
                next = pending.remove(type);
            }
            try {
                writer.write(type, next.version, next.always);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "writing " + type.shortName() + " failed", e);
            }
        }
    }
}
