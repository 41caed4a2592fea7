package dev.weft.proxy.filter.rbac;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.concurrent.atomic.LongAdder;

/**
 * One RBAC filter config, HTTP or network: the enforced rules and the shadow rules with their counters. A check
 * counts both and writes Envoy's dynamic metadata under the filter's name: {@code <shadow
 * prefix>shadow_engine_result} ({@code allowed|denied}) and {@code <shadow prefix>shadow_effective_policy_id} (the
 * policy that matched, if any), and the same with {@code enforced_} for the rules. Istio's CUSTOM action runs
 * ext_authz only when its shadow policy matched, by reading that policy id.
 */
final class RbacEngine {

    private record Counters(LongAdder allowed, LongAdder denied) {
    }

    private final RbacPolicies rules;
    private final RbacPolicies shadow;
    private final Counters enforced;
    private final Counters shadowCounters;
    private final String rulesPrefix;
    private final String shadowPrefix;
    private final String metadataNamespace;

    /**
     * @param statBase the stats namespace ending in {@code rbac.}, e.g. {@code http.ingress.rbac.} or
     *        {@code tcp.rbac.}
     */
    RbacEngine(RBAC rules, RBAC shadow, Stats stats, String statBase, String rulesPrefix, String shadowPrefix,
            String metadataNamespace) {
        this.rules = rules == null ? null : RbacPolicies.compile(rules);
        this.shadow = shadow == null ? null : RbacPolicies.compile(shadow);
        this.enforced = new Counters(stats.counter(statBase + rulesPrefix + "allowed"),
                stats.counter(statBase + rulesPrefix + "denied"));
        this.shadowCounters = new Counters(stats.counter(statBase + shadowPrefix + "shadow_allowed"),
                stats.counter(statBase + shadowPrefix + "shadow_denied"));
        this.rulesPrefix = rulesPrefix;
        this.shadowPrefix = shadowPrefix;
        this.metadataNamespace = metadataNamespace;
    }

    boolean isEmpty() {
        return rules == null && shadow == null;
    }

    /**
     * The enforced rules' decision (allowed without rules), with the policy that decided it; counts and records both
     * outcomes.
     */
    RbacPolicies.Decision check(RbacRequest request, DynamicMetadata metadata) {
        Struct.Builder fields = Struct.newBuilder();
        if (shadow != null) {
            check(shadow, request, shadowCounters, shadowPrefix + "shadow_", fields);
        }
        RbacPolicies.Decision decision = rules == null ? new RbacPolicies.Decision(true, null)
                : check(rules, request, enforced, rulesPrefix + "enforced_", fields);
        metadata.set(metadataNamespace, fields.build());
        return decision;
    }

    private static RbacPolicies.Decision check(RbacPolicies policies, RbacRequest request, Counters counters,
            String keyPrefix, Struct.Builder fields) {
        RbacPolicies.Decision decision = policies.evaluate(request);
        (decision.allowed() ? counters.allowed() : counters.denied()).increment();
        if (decision.policy() != null) {
            fields.putFields(keyPrefix + "effective_policy_id", string(decision.policy()));
        }
        fields.putFields(keyPrefix + "engine_result", string(decision.allowed() ? "allowed" : "denied"));
        return decision;
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
