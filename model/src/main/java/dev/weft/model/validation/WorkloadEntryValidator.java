package dev.weft.model.validation;

import dev.weft.model.networking.WorkloadEntry;

/** Istio's validation rules for WorkloadEntry, also used for ServiceEntry endpoints. */
final class WorkloadEntryValidator {
  private WorkloadEntryValidator() {}

  static void validate(WorkloadEntry spec, String path, Findings findings) {}
}
