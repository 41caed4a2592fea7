package dev.weft.model.validation;

import dev.weft.model.networking.Sidecar;

/** Istio's validation rules for Sidecar. */
final class SidecarValidator {
  private SidecarValidator() {}

  static void validate(Sidecar spec, Findings findings) {}
}
