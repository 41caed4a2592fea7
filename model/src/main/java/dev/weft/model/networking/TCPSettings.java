package dev.weft.model.networking;

import java.time.Duration;

/** TCP connection pool settings; 0 means unset. */
public record TCPSettings(
    int maxConnections,
    Duration connectTimeout,
    TcpKeepalive tcpKeepalive,
    Duration maxConnectionDuration,
    Duration idleTimeout) {}
