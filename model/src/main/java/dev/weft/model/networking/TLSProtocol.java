package dev.weft.model.networking;

/** TLS protocol versions. */
public enum TLSProtocol {
  TLS_AUTO,
  TLSV1_0,
  TLSV1_1,
  TLSV1_2,
  TLSV1_3
}
