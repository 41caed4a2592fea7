package dev.weft.model.networking;

import java.time.Duration;

/** HTTP/2 keepalive pings to upstreams. */
public record Http2KeepAlive(
    Duration interval,
    Duration timeout) {}
