package dev.weft.model.security;

/** mTLS modes; UNSET inherits from the parent scope. */
public enum MtlsMode {
  UNSET,
  DISABLE,
  PERMISSIVE,
  STRICT
}
