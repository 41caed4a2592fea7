package dev.weft.proxy.upstream;

/** The connections of one event loop to one host. */
interface ConnectionPool {

    /**
     * Gets a stream for the listener, now or once a connection is ready; failures go to the listener too. The
     * result cancels the wait ({@link PendingStream#NONE} when the listener was answered at once).
     */
    PendingStream newStream(UpstreamStreamListener listener);

    /** The cluster version this pool was made for (its limits, TLS and timeouts). */
    UpstreamCluster cluster();

    /** Closes every connection, idle or not; for a host that left its cluster. */
    void close();
}
