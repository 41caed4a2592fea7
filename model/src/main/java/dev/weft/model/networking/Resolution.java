package dev.weft.model.networking;

/** How a ServiceEntry's endpoints are resolved. */
public enum Resolution {
  NONE,
  STATIC,
  DNS,
  DNS_ROUND_ROBIN,
  DYNAMIC_DNS
}
