package dev.weft.model.networking;

/** PROXY protocol header sent upstream. */
public record ProxyProtocol(
    ProxyProtocolVersion version) {}
