package dev.weft.model.networking;

import java.time.Duration;

/** TCP keepalive probes. */
public record TcpKeepalive(
    int probes,
    Duration time,
    Duration interval) {}
