package dev.weft.model.validation;

import dev.weft.model.telemetry.Telemetry;

/** Istio's validation rules for Telemetry. */
final class TelemetryValidator {
  private TelemetryValidator() {}

  static void validate(Telemetry spec, Findings findings) {}
}
