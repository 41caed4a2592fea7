package dev.weft.model.networking;

import java.time.Duration;

/** Slow start of new endpoints. */
public record WarmupConfiguration(
    Duration duration,
    Double minimumPercent,
    Double aggression) {}
