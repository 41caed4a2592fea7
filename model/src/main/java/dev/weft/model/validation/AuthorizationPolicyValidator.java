package dev.weft.model.validation;

import dev.weft.model.security.AuthorizationPolicy;

/** Istio's validation rules for AuthorizationPolicy. */
final class AuthorizationPolicyValidator {
  private AuthorizationPolicyValidator() {}

  static void validate(AuthorizationPolicy spec, Findings findings) {}
}
