package dev.weft.model.validation;

import dev.weft.model.networking.VirtualService;

/** Istio's validation rules for VirtualService. */
final class VirtualServiceValidator {
  private VirtualServiceValidator() {}

  static void validate(VirtualService spec, Findings findings) {}
}
