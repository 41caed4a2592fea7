package dev.weft.model.networking;

/** A weighted HTTP destination with optional per-destination header operations. */
public record HTTPRouteDestination(
    Destination destination,
    int weight,
    Headers headers) {}
