package dev.weft.proxy.upstream;

/**
 * A request's claim on a connection pool until its stream is ready (Envoy's {@code ConnectionPool::Cancellable}).
 * Cancelling it gives back its pending-request slot and, as Envoy's router does with {@code CloseExcess}, aborts a
 * connection being opened only for it: a client that resets streams faster than they start must not make the
 * proxy open and drop an upstream connection for each one.
 */
@FunctionalInterface
public interface PendingStream {

    /** For a stream the pool served at once, or one no longer waiting: nothing to cancel. */
    PendingStream NONE = () -> { };

    /** Stops waiting; no effect once the stream was handed out or failed. */
    void cancel();
}
