package dev.weft.cli.local;

/**
 * What a process of a local mesh is; the stop order runs down this list. An ADDON (Prometheus, Zipkin) stops last,
 * so it keeps what the mesh reported until the end.
 */
public enum Role {
  APP, SIDECAR, GATEWAY, WEFTD, ADDON
}
