package dev.weft.model.security;

/** Authorization actions; ALLOW is the zero value. */
public enum AuthorizationAction {
  ALLOW,
  DENY,
  AUDIT,
  CUSTOM
}
