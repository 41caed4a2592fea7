package dev.weft.model.networking;

/** Reference to a delegate VirtualService; namespace empty means the root VirtualService's namespace. */
public record Delegate(
    String name,
    String namespace) {}
