package dev.weft.model.networking;

import dev.weft.model.FqdnHost;

/** A service (FQDN after loading), optional subset and port. */
public record Destination(
    @FqdnHost String host,
    String subset,
    PortSelector port) {}
