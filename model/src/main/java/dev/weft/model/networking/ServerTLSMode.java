package dev.weft.model.networking;

/** Server TLS modes; PASSTHROUGH is the zero value. */
public enum ServerTLSMode {
  PASSTHROUGH,
  SIMPLE,
  MUTUAL,
  AUTO_PASSTHROUGH,
  ISTIO_MUTUAL,
  OPTIONAL_MUTUAL
}
