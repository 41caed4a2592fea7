package dev.weft.model.validation;

import dev.weft.model.common.PolicySelector;
import dev.weft.model.common.PolicyTargetReference;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** selector / targetRef / targetRefs rules shared by the security and telemetry policies. */
final class PolicyTargets {
  private static final String GROUP_REGEX = "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  private static final String KIND_REGEX = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
  private static final Pattern GROUP = Pattern.compile(GROUP_REGEX);
  private static final Pattern KIND = Pattern.compile(KIND_REGEX);
  private static final int MAX_TARGET_REFS = 16;
  private static final String GATEWAY_API = "gateway.networking.k8s.io";
  private static final Set<String> SUPPORTED = Set.of(
      GATEWAY_API + "/Gateway", GATEWAY_API + "/GatewayClass", "/Service", "networking.istio.io/ServiceEntry");

  private PolicyTargets() {}

  static void check(PolicySelector selector, PolicyTargetReference targetRef, List<PolicyTargetReference> targetRefs,
      Findings findings) {
    boolean hasRefs = targetRef != null || !targetRefs.isEmpty();
    if (selector != null && hasRefs || targetRef != null && !targetRefs.isEmpty()) {
      findings.error("spec", "only one of targetRefs or selector can be set");
    }
    if (selector != null) {
      Labels.checkSelector(selector.matchLabels(), "spec.selector.matchLabels", findings);
    }
    if (targetRef != null) {
      checkReference(targetRef, "spec.targetRef", findings);
    }
    if (targetRefs.size() > MAX_TARGET_REFS) {
      findings.error("spec.targetRefs", "Too many: " + targetRefs.size() + ": must have at most "
          + MAX_TARGET_REFS + " items");
    }
    for (int i = 0; i < targetRefs.size(); i++) {
      checkReference(targetRefs.get(i), "spec.targetRefs[" + i + "]", findings);
    }
  }

  private static void checkReference(PolicyTargetReference ref, String path, Findings findings) {
    if (ref.name().isEmpty()) {
      findings.required(path + ".name");
    }
    if (ref.kind().isEmpty()) {
      findings.required(path + ".kind");
    }
    boolean wellFormed = true;
    if (!GROUP.matcher(ref.group()).matches()) {
      wellFormed = false;
      findings.error(path + ".group", "Invalid value: \"" + ref.group() + "\": " + path
          + ".group in body should match '" + GROUP_REGEX + "'");
    }
    if (!ref.kind().isEmpty() && !KIND.matcher(ref.kind()).matches()) {
      wellFormed = false;
      findings.error(path + ".kind", "Invalid value: \"" + ref.kind() + "\": " + path
          + ".kind in body should match '" + KIND_REGEX + "'");
    }
    if (wellFormed && !ref.kind().isEmpty() && !SUPPORTED.contains(ref.group() + "/" + ref.kind())) {
      findings.error(path, "Unsupported value: \"" + ref.group() + "/" + ref.kind() + "\": supported values: "
          + "Gateway, GatewayClass (" + GATEWAY_API + "), Service (core), ServiceEntry (networking.istio.io)");
    }
    if (!ref.namespace().isEmpty() && !ref.namespace().equals(findings.namespace())) {
      findings.error(path + ".namespace", "cross namespace referencing is not currently supported");
    }
  }
}
