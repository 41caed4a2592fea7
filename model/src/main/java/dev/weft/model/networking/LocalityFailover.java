package dev.weft.model.networking;

/** Failover from one region to another. */
public record LocalityFailover(
    String from,
    String to) {}
