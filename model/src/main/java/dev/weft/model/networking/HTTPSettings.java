package dev.weft.model.networking;

import java.time.Duration;

/** HTTP connection pool settings; 0 means unset. */
public record HTTPSettings(
    int http1MaxPendingRequests,
    int http2MaxRequests,
    int maxRequestsPerConnection,
    int maxRetries,
    Duration idleTimeout,
    H2UpgradePolicy h2UpgradePolicy,
    boolean useClientProtocol,
    int maxConcurrentStreams,
    Http2KeepAlive http2KeepAlive) {}
