package dev.weft.model.networking;

/** How a redirect derives its port. */
public enum RedirectPortSelection {
  FROM_PROTOCOL_DEFAULT,
  FROM_REQUEST_PORT
}
