package dev.weft.model.validation;

import dev.weft.model.networking.Gateway;

/** Istio's validation rules for Gateway. */
final class GatewayValidator {
  private GatewayValidator() {}

  static void validate(Gateway spec, Findings findings) {}
}
