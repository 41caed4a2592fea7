package dev.weft.model.networking;

/** Outbound traffic modes; REGISTRY_ONLY is the zero value. */
public enum OutboundTrafficMode {
  REGISTRY_ONLY,
  ALLOW_ANY,
  ALLOW_ANY_DYNAMIC_DNS
}
