package dev.weft.model.networking;

/** A weighted L4 destination. */
public record RouteDestination(
    Destination destination,
    int weight) {}
