package dev.weft.model.networking;

/** Client TLS modes. */
public enum ClientTLSMode {
  DISABLE,
  SIMPLE,
  MUTUAL,
  ISTIO_MUTUAL
}
