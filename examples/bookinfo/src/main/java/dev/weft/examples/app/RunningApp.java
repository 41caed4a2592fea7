package dev.weft.examples.app;

import java.net.URI;

/** A started sample app: where it listens, and how to stop it. */
public interface RunningApp extends AutoCloseable {
    String name();

    String host();

    /** The bound port, the real one when the app was asked for port 0. */
    int port();

    default URI baseUri() {
        return URI.create("http://" + host() + ":" + port());
    }

    /** Stops accepting, lets in-flight requests finish within a short grace period, then releases the port. */
    @Override
    void close();
}
