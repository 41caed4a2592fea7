package dev.weft.model.networking;

/** Simple load balancing algorithms; UNSPECIFIED means LEAST_REQUEST. */
public enum SimpleLB {
  UNSPECIFIED,
  LEAST_CONN,
  RANDOM,
  PASSTHROUGH,
  ROUND_ROBIN,
  LEAST_REQUEST
}
