package dev.weft.model.validation;

import dev.weft.model.security.RequestAuthentication;

/** Istio's validation rules for RequestAuthentication. */
final class RequestAuthenticationValidator {
  private RequestAuthenticationValidator() {}

  static void validate(RequestAuthentication spec, Findings findings) {}
}
