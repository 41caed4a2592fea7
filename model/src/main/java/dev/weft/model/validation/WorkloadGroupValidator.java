package dev.weft.model.validation;

import dev.weft.model.networking.ReadinessProbe;
import dev.weft.model.networking.WorkloadGroup;

/** Istio's validation rules for WorkloadGroup. */
final class WorkloadGroupValidator {
  private WorkloadGroupValidator() {}

  static void validate(WorkloadGroup group, Findings findings) {
    if (group.metadata() != null) {
      Labels.checkLabels(group.metadata().labels(), "spec.metadata.labels", findings);
    }
    if (group.template() == null) {
      findings.required("spec.template");
    } else if (!group.template().address().isEmpty()) {
      findings.error("spec.template.address", "address is not allowed in a WorkloadGroup template");
    }
    ReadinessProbe probe = group.probe();
    if (probe != null) {
      int checks = (probe.httpGet() != null ? 1 : 0) + (probe.tcpSocket() != null ? 1 : 0)
          + (probe.exec() != null ? 1 : 0) + (probe.grpc() != null ? 1 : 0);
      if (checks != 1) {
        findings.error("spec.probe", "must have exactly one of httpGet, tcpSocket, exec or grpc");
      }
      if (probe.httpGet() != null) {
        Ports.check(probe.httpGet().port(), "spec.probe.httpGet.port", findings);
      }
      if (probe.tcpSocket() != null) {
        Ports.check(probe.tcpSocket().port(), "spec.probe.tcpSocket.port", findings);
      }
      if (probe.grpc() != null) {
        Ports.check(probe.grpc().port(), "spec.probe.grpc.port", findings);
      }
      if (probe.exec() != null && probe.exec().command().isEmpty()) {
        findings.required("spec.probe.exec.command");
      }
    }
  }
}
