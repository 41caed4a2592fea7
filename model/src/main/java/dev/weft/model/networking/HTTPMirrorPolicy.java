package dev.weft.model.networking;

/** One mirror target with its share of traffic. */
public record HTTPMirrorPolicy(
    Destination destination,
    Percent percentage) {}
