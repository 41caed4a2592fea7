package dev.weft.cli.local;

/** What a process of a local mesh is; the stop order runs down this list. */
public enum Role {
  APP, SIDECAR, GATEWAY, WEFTD
}
