package dev.weft.model.networking;

import java.util.List;

/** One listener of a gateway: port, hosts and TLS. */
public record Server(
    Port port,
    String bind,
    List<String> hosts,
    ServerTLSSettings tls,
    String defaultEndpoint,
    String name) {}
