package dev.weft.proxy.filter.rbac;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One RBAC filter config, HTTP or network: the enforced rules and the shadow rules with their counters. A check
 * counts both and writes Envoy's dynamic metadata under the filter's name: {@code <shadow
 * prefix>shadow_engine_result} ({@code allowed|denied}) and {@code <shadow prefix>shadow_effective_policy_id} (the
 * policy that matched, if any), and the same with {@code enforced_} for the rules. Istio's CUSTOM action runs
 * ext_authz only when its shadow policy matched, by reading that policy id.
 *
 * <p>Beyond Envoy, each policy counts the requests it decided: {@code <rules prefix>policy.<name>.allowed|denied}
 * and {@code <shadow prefix>policy.<name>.shadow_allowed|shadow_denied}, so {@code weft proxy-config authz} can say
 * which AuthorizationPolicy let traffic through or stopped it; what no policy matched counts under
 * {@code <prefix>unmatched.<ACTION>.}, by action because Istio's ALLOW, DENY and AUDIT filters of one connection
 * manager share the totals.
 */
final class RbacEngine {

    private record Counters(LongAdder allowed, LongAdder denied) {

        static Counters of(Stats stats, String prefix, String result) {
            return new Counters(stats.counter(prefix + result + "allowed"), stats.counter(prefix + result + "denied"));
        }

        void count(boolean allowed) {
            (allowed ? this.allowed : denied).increment();
        }
    }

    /** A policy set (null when the filter has none, whose counters Envoy shows all the same) with its counters. */
    private record Counted(RbacPolicies policies, Counters total, Map<String, Counters> byPolicy, Counters unmatched,
            String metadataPrefix) {

        static Counted of(RBAC rules, Stats stats, String statBase, String prefix, String result,
                String metadataPrefix) {
            RbacPolicies policies = rules == null ? null : RbacPolicies.compile(rules);
            Map<String, Counters> byPolicy = new HashMap<>();
            for (String name : policies == null ? List.<String>of() : policies.names()) {
                byPolicy.put(name, Counters.of(stats, statBase + prefix + "policy." + name + ".", result));
            }
            Counters unmatched = policies == null ? null
                    : Counters.of(stats, statBase + prefix + "unmatched." + policies.action() + ".", result);
            return new Counted(policies, Counters.of(stats, statBase + prefix, result), Map.copyOf(byPolicy),
                    unmatched, metadataPrefix);
        }

        RbacPolicies.Decision check(RbacRequest request, Struct.Builder fields) {
            RbacPolicies.Decision decision = policies.evaluate(request);
            total.count(decision.allowed());
            if (decision.policy() != null) {
                byPolicy.get(decision.policy()).count(decision.allowed());
                fields.putFields(metadataPrefix + "effective_policy_id", string(decision.policy()));
            } else {
                unmatched.count(decision.allowed());
            }
            fields.putFields(metadataPrefix + "engine_result", string(decision.allowed() ? "allowed" : "denied"));
            return decision;
        }
    }

    private final Counted rules;
    private final Counted shadow;
    private final String metadataNamespace;

    /**
     * @param statBase the stats namespace ending in {@code rbac.}, e.g. {@code http.ingress.rbac.} or
     *        {@code tcp.rbac.}
     */
    RbacEngine(RBAC rules, RBAC shadow, Stats stats, String statBase, String rulesPrefix, String shadowPrefix,
            String metadataNamespace) {
        this.rules = Counted.of(rules, stats, statBase, rulesPrefix, "", rulesPrefix + "enforced_");
        this.shadow = Counted.of(shadow, stats, statBase, shadowPrefix, "shadow_", shadowPrefix + "shadow_");
        this.metadataNamespace = metadataNamespace;
    }

    boolean isEmpty() {
        return rules.policies() == null && shadow.policies() == null;
    }

    /**
     * The enforced rules' decision (allowed without rules), with the policy that decided it; counts and records both
     * outcomes.
     */
    RbacPolicies.Decision check(RbacRequest request, DynamicMetadata metadata) {
        Struct.Builder fields = Struct.newBuilder();
        if (shadow.policies() != null) {
            shadow.check(request, fields);
        }
        RbacPolicies.Decision decision = rules.policies() == null ? new RbacPolicies.Decision(true, null)
                : rules.check(request, fields);
        metadata.set(metadataNamespace, fields.build());
        return decision;
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
