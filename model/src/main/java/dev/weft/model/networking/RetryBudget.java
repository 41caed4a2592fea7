package dev.weft.model.networking;

/** Limit on concurrent retries relative to active requests. */
public record RetryBudget(
    Double percent,
    int minRetryConcurrency) {}
