package dev.weft.model.validation;

import dev.weft.model.networking.WorkloadGroup;

/** Istio's validation rules for WorkloadGroup. */
final class WorkloadGroupValidator {
  private WorkloadGroupValidator() {}

  static void validate(WorkloadGroup spec, Findings findings) {}
}
