package dev.weft.model.validation;

import dev.weft.model.networking.DestinationRule;

/** Istio's validation rules for DestinationRule. */
final class DestinationRuleValidator {
  private DestinationRuleValidator() {}

  static void validate(DestinationRule spec, Findings findings) {}
}
