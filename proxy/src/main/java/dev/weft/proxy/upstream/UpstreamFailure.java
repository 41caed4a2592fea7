package dev.weft.proxy.upstream;

/** Why an upstream stream failed. */
public enum UpstreamFailure {
    CONNECT_FAILURE,
    OVERFLOW,
    CONNECTION_TERMINATION,
    REMOTE_RESET,
    REFUSED_STREAM,
    PROTOCOL_ERROR
}
