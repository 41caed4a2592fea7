package dev.weft.model.networking;

import java.time.Duration;

/** Limit on concurrent retries relative to active requests (within budgetInterval when set, Istio 1.31). */
public record RetryBudget(
    Double percent,
    int minRetryConcurrency,
    Duration budgetInterval) {}
