package dev.weft.model.networking;

import java.time.Duration;

/** Injected delay; without percentage nothing is injected. */
public record FaultDelay(
    Duration fixedDelay,
    Duration exponentialDelay,
    int percent,
    Percent percentage) {}
