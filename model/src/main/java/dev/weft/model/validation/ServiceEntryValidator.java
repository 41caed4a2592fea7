package dev.weft.model.validation;

import dev.weft.model.networking.ServiceEntry;

/** Istio's validation rules for ServiceEntry. */
final class ServiceEntryValidator {
  private ServiceEntryValidator() {}

  static void validate(ServiceEntry spec, Findings findings) {}
}
