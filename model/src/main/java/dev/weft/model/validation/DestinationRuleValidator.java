package dev.weft.model.validation;

import dev.weft.model.networking.DestinationRule;
import dev.weft.model.networking.Subset;
import java.util.HashSet;
import java.util.Set;

/** Istio's validation rules for DestinationRule (SEMANTICS §2 and §14). */
final class DestinationRuleValidator {
  private DestinationRuleValidator() {}

  static void validate(DestinationRule rule, Findings findings) {
    if (rule.host().isEmpty()) {
      findings.required("spec.host");
    } else {
      String problem = DomainNames.checkWildcardDomain(rule.host(), false);
      if (problem != null) {
        findings.error("spec.host", problem);
      }
    }
    ExportTo.check(rule.exportTo(), false, "spec.exportTo", findings);
    if (rule.workloadSelector() != null) {
      Labels.checkSelector(rule.workloadSelector().matchLabels(), "spec.workloadSelector.matchLabels", findings);
      boolean onlyOwnNamespace = rule.exportTo().stream()
          .allMatch(e -> e.equals(".") || e.equals(findings.namespace()));
      if (!onlyOwnNamespace) {
        findings.error("spec.exportTo", "destination rule with a workloadSelector can only be exported to its own"
            + " namespace");
      }
    }
    TrafficPolicies.check(rule.trafficPolicy(), "spec.trafficPolicy", findings);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rule.subsets().size(); i++) {
      Subset subset = rule.subsets().get(i);
      String path = "spec.subsets[" + i + "]";
      if (subset.name().isEmpty()) {
        findings.required(path + ".name");
      } else if (!DomainNames.isLabel(subset.name())) {
        findings.error(path + ".name", "subset name is invalid: " + subset.name());
      } else if (!names.add(subset.name())) {
        findings.error(path + ".name", "duplicate subset names: " + subset.name());
      }
      Labels.checkSelector(subset.labels(), path + ".labels", findings);
      TrafficPolicies.check(subset.trafficPolicy(), path + ".trafficPolicy", findings);
    }
  }
}
