package dev.weft.xds.authz;

import dev.weft.model.Resource;
import dev.weft.model.security.AuthorizationPolicy;
import dev.weft.model.security.Rule;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RBAC rules of a set of AuthorizationPolicies that share an action (Istio's builder.build): the enforced
 * rules, and the shadow rules of the dry-run ones ({@code istio.io/dry-run: "true"}), each present only when a
 * policy went into it. Every rule of a policy becomes an RBAC policy named {@code ns[<ns>]-policy[<name>]-rule[<i>]};
 * a policy without rules becomes one that never matches, so an ALLOW policy {@code {}} allows nothing.
 */
record PolicyRules(Optional<RBAC> rules, Optional<RBAC> shadowRules) {

    private static final String DRY_RUN = "istio.io/dry-run";
    private static final Policy MATCH_NEVER = Policy.newBuilder()
            .addPermissions(Permission.newBuilder().setNotRule(Permission.newBuilder().setAny(true)))
            .addPrincipals(Principal.newBuilder().setNotId(Principal.newBuilder().setAny(true)))
            .build();

    /**
     * @param namePrefix put before every policy name (CUSTOM's {@code istio-ext-authz-<provider>-})
     */
    static PolicyRules of(List<Resource<AuthorizationPolicy>> policies, RBAC.Action action, boolean forTcp,
            TrustDomains trustDomains, String namePrefix) {
        RBAC.Builder enforced = RBAC.newBuilder().setAction(action);
        RBAC.Builder shadow = RBAC.newBuilder().setAction(action);
        boolean anyEnforced = false;
        boolean anyShadow = false;
        for (Resource<AuthorizationPolicy> policy : policies) {
            boolean dryRun = isDryRun(policy);
            anyShadow |= dryRun;
            anyEnforced |= !dryRun;
            RBAC.Builder target = dryRun ? shadow : enforced;
            List<Rule> rules = policy.spec().rules() == null ? List.of() : policy.spec().rules();
            String base = namePrefix + "ns[" + policy.namespace() + "]-policy[" + policy.name() + "]-rule[";
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i) == null) {
                    continue;
                }
                String name = base + i + "]";
                RuleModel.of(rules.get(i), policy.namespace())
                        .map(model -> model.withTrustDomains(trustDomains))
                        .flatMap(model -> model.policy(forTcp, action == RBAC.Action.ALLOW))
                        .ifPresent(generated -> target.putPolicies(name, generated));
            }
            if (rules.isEmpty()) {
                target.putPolicies(base + "0]", MATCH_NEVER);
            }
        }
        return new PolicyRules(anyEnforced ? Optional.of(enforced.build()) : Optional.empty(),
                anyShadow ? Optional.of(shadow.build()) : Optional.empty());
    }

    /**
     * The stat prefix of the shadow rules' outcome. As Istio, it is set even without shadow rules (then as for
     * ALLOW), and is empty for AUDIT's.
     */
    String shadowRulesStatPrefix() {
        RBAC.Action action = shadowRules.map(RBAC::getAction).orElse(RBAC.Action.ALLOW);
        return switch (action) {
            case ALLOW -> "istio_dry_run_allow_";
            case DENY -> "istio_dry_run_deny_";
            default -> "";
        };
    }

    /** Istio's strconv.ParseBool of the annotation; anything else is not a dry run. */
    private static boolean isDryRun(Resource<AuthorizationPolicy> policy) {
        Map<String, String> annotations = policy.metadata().annotations();
        String value = annotations == null ? null : annotations.get(DRY_RUN);
        return value != null && List.of("1", "t", "T", "TRUE", "true", "True").contains(value);
    }
}
