package dev.weft.proxy.filter.rbac;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A compiled {@code config.rbac.v3.RBAC}: an action and named policies, each a permission set and a principal set
 * (a policy matches when any permission and any principal match). ALLOW lets a request through only when a policy
 * matches; DENY stops it when one does; LOG never stops it. Policies are tried in name order, as Envoy's map.
 */
final class RbacPolicies {

    /** The outcome, with the policy that decided it (null when none matched). */
    record Decision(boolean allowed, String policy) {
    }

    private record Compiled(String name, Predicate<RbacRequest> permissions, Predicate<RbacRequest> principals) {
    }

    private final RBAC.Action action;
    private final List<Compiled> policies;

    private RbacPolicies(RBAC.Action action, List<Compiled> policies) {
        this.action = action;
        this.policies = List.copyOf(policies);
    }

    static RbacPolicies compile(RBAC rules) {
        if (rules.getAction() == RBAC.Action.UNRECOGNIZED) {
            throw new ConfigException("RBAC action " + rules.getActionValue() + " is not known");
        }
        List<Compiled> compiled = new ArrayList<>();
        for (Map.Entry<String, Policy> e : new TreeMap<>(rules.getPoliciesMap()).entrySet()) {
            Policy p = e.getValue();
            if (p.hasCondition() || p.hasCheckedCondition()) {
                throw new ConfigException("RBAC policy " + e.getKey() + ": CEL conditions are not supported");
            }
            try {
                compiled.add(new Compiled(e.getKey(),
                        RbacMatchers.any(p.getPermissionsList().stream().map(RbacMatchers::permission).toList()),
                        RbacMatchers.any(p.getPrincipalsList().stream().map(RbacMatchers::principal).toList())));
            } catch (ConfigException ex) {
                throw new ConfigException("RBAC policy " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return new RbacPolicies(rules.getAction(), compiled);
    }

    RBAC.Action action() {
        return action;
    }

    /** The policies' names, in the order they are tried. */
    List<String> names() {
        return policies.stream().map(Compiled::name).toList();
    }

    Decision evaluate(RbacRequest request) {
        String matched = null;
        for (Compiled c : policies) {
            if (c.permissions().test(request) && c.principals().test(request)) {
                matched = c.name();
                break;
            }
        }
        return switch (action) {
            case ALLOW -> new Decision(matched != null, matched);
            case DENY -> new Decision(matched == null, matched);
            default -> new Decision(true, matched);
        };
    }
}
