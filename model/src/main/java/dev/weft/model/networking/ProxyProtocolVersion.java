package dev.weft.model.networking;

/** PROXY protocol version. */
public enum ProxyProtocolVersion {
  V1,
  V2
}
