package dev.weft.model.networking;

/** Connection pool (circuit breaker) settings per upstream host. */
public record ConnectionPoolSettings(
    TCPSettings tcp,
    HTTPSettings http) {}
