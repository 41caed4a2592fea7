package dev.weft.model.validation;

import dev.weft.model.security.PeerAuthentication;

/** Istio's validation rules for PeerAuthentication (SEMANTICS §6, CRD schema rules). */
final class PeerAuthenticationValidator {
  private PeerAuthenticationValidator() {}

  static void validate(PeerAuthentication policy, Findings findings) {
    if (policy.selector() != null) {
      Labels.checkSelector(policy.selector().matchLabels(), "spec.selector.matchLabels", findings);
    }
    if (policy.portLevelMtls().isEmpty()) {
      if (findings.present("spec.portLevelMtls")) {
        findings.error("spec.portLevelMtls", "Invalid value: 0: spec.portLevelMtls in body should have at least 1"
            + " properties");
      }
      return;
    }
    if (policy.selector() == null || policy.selector().matchLabels().isEmpty()) {
      findings.error("spec.portLevelMtls", "portLevelMtls requires selector");
    }
    policy.portLevelMtls().keySet().forEach(port -> Ports.check(port, "spec.portLevelMtls[" + port + "]", findings));
  }
}
