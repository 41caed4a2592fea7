package dev.weft.model.security;

/** Whether a token is required. */
public enum JwtPresence {
  OPTIONAL,
  REQUIRED
}
