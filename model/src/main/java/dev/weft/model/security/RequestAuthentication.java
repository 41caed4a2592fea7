package dev.weft.model.security;

import dev.weft.model.common.PolicySelector;
import dev.weft.model.common.PolicyTargetReference;
import java.util.List;

/** RequestAuthentication spec: JWT validation rules for selected workloads. */
public record RequestAuthentication(
    PolicySelector selector,
    PolicyTargetReference targetRef,
    List<PolicyTargetReference> targetRefs,
    List<JWTRule> jwtRules) {}
