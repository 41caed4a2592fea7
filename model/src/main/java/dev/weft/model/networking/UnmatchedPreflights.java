package dev.weft.model.networking;

/** What to do with preflight requests whose origin does not match. */
public enum UnmatchedPreflights {
  UNSPECIFIED,
  FORWARD,
  IGNORE
}
