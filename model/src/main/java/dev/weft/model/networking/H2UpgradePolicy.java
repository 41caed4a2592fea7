package dev.weft.model.networking;

/** Whether HTTP/1.1 upstream connections are upgraded to HTTP/2. */
public enum H2UpgradePolicy {
  DEFAULT,
  DO_NOT_UPGRADE,
  UPGRADE
}
