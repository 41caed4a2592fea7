package dev.weft.model.networking;

/** How traffic reaches a sidecar listener. */
public enum CaptureMode {
  DEFAULT,
  IPTABLES,
  NONE
}
