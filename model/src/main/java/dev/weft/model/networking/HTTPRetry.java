package dev.weft.model.networking;

import java.time.Duration;

/** Retry policy; attempts 0 disables retries. */
public record HTTPRetry(
    int attempts,
    Duration perTryTimeout,
    String retryOn,
    Boolean retryRemoteLocalities,
    Boolean retryIgnorePreviousHosts,
    Duration backoff) {}
