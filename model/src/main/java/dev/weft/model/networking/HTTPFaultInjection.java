package dev.weft.model.networking;

/** Client-side fault injection: a delay, an abort, or both. */
public record HTTPFaultInjection(
    FaultDelay delay,
    FaultAbort abort) {}
