package dev.weft.controlplane.ca;

/** A bearer token that names no workload; the message says why, for the caller and the log. */
public final class TokenRefused extends Exception {

    public TokenRefused(String message) {
        super(message);
    }
}
