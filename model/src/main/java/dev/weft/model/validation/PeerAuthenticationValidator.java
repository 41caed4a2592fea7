package dev.weft.model.validation;

import dev.weft.model.security.PeerAuthentication;

/** Istio's validation rules for PeerAuthentication. */
final class PeerAuthenticationValidator {
  private PeerAuthenticationValidator() {}

  static void validate(PeerAuthentication spec, Findings findings) {}
}
