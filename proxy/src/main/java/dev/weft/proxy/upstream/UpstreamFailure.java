package dev.weft.proxy.upstream;

/** Why an upstream stream failed. */
public enum UpstreamFailure {
    CONNECT_FAILURE,
    /** The TCP connection was made but the TLS handshake failed (untrusted or mismatched certificate, no common version). */
    TLS_FAILURE,
    OVERFLOW,
    CONNECTION_TERMINATION,
    REMOTE_RESET,
    REFUSED_STREAM,
    PROTOCOL_ERROR
}
