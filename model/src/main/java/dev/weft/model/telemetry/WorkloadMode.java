package dev.weft.model.telemetry;

/** Traffic directions. */
public enum WorkloadMode {
  CLIENT_AND_SERVER,
  CLIENT,
  SERVER
}
