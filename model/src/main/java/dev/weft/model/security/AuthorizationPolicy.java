package dev.weft.model.security;

import dev.weft.model.common.PolicySelector;
import dev.weft.model.common.PolicyTargetReference;
import java.util.List;

/** AuthorizationPolicy spec: access control for selected workloads. */
public record AuthorizationPolicy(
    PolicySelector selector,
    PolicyTargetReference targetRef,
    List<PolicyTargetReference> targetRefs,
    List<Rule> rules,
    AuthorizationAction action,
    ExtensionProvider provider) {}
