package dev.weft.model.telemetry;

/** Tag override operations. */
public enum TagOperation {
  UPSERT,
  REMOVE
}
