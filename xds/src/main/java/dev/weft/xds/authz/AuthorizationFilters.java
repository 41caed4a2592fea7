package dev.weft.xds.authz;

import com.google.protobuf.Any;
import dev.weft.model.Resource;
import dev.weft.model.security.AuthorizationAction;
import dev.weft.model.security.AuthorizationPolicy;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A workload's AuthorizationPolicies as Envoy filters, as Istio's authz builder makes them. {@link #customHttp} and
 * {@link #customTcp} are CUSTOM's: per provider an rbac filter whose shadow rules record which CUSTOM policy a
 * request matches, then the ext_authz filter that asks the provider only then. {@link #http} and {@link #tcp} are
 * one rbac filter per action in Istio's order: AUDIT, DENY, ALLOW (none for an action no policy has, so a workload
 * without ALLOW policies allows what no DENY policy denies).
 */
public final class AuthorizationFilters {

    private static final String HTTP_RBAC = "envoy.filters.http.rbac";
    private static final String NETWORK_RBAC = "envoy.filters.network.rbac";
    private static final String TCP_STAT_PREFIX = "tcp.";
    private static final String EXT_AUTHZ_PREFIX = "istio-ext-authz";
    private static final String EXT_AUTHZ_STAT_PREFIX = "istio_ext_authz_";
    private static final String BAD_CUSTOM_SUFFIX = "-deny-due-to-bad-CUSTOM-action";
    /** The actions RBAC enforces itself, in Istio's filter order. */
    private static final List<Map.Entry<AuthorizationAction, RBAC.Action>> LOCAL_ACTIONS = List.of(
            Map.entry(AuthorizationAction.AUDIT, RBAC.Action.LOG),
            Map.entry(AuthorizationAction.DENY, RBAC.Action.DENY),
            Map.entry(AuthorizationAction.ALLOW, RBAC.Action.ALLOW));

    private AuthorizationFilters() {
    }

    /** HTTP filters of the AUDIT, DENY and ALLOW policies. */
    public static List<HttpFilter> http(PushContext push, ProxyNode proxy) {
        return localRules(push, proxy, false).stream()
                .map(rules -> httpRbac(rules.rules(), rules.shadowRules(), rules.shadowRulesStatPrefix()))
                .toList();
    }

    /** Network filters of the AUDIT, DENY and ALLOW policies; rules on HTTP attributes are handled as Istio does. */
    public static List<Filter> tcp(PushContext push, ProxyNode proxy) {
        return localRules(push, proxy, true).stream()
                .map(rules -> networkRbac(rules.rules(), rules.shadowRules(), rules.shadowRulesStatPrefix()))
                .toList();
    }

    /**
     * HTTP filters of the CUSTOM policies. When a provider is unknown or broken, or the workload's policies name
     * several, the policies' rules deny what they match instead.
     */
    public static List<HttpFilter> customHttp(PushContext push, ProxyNode proxy) {
        List<HttpFilter> filters = new ArrayList<>();
        for (CustomRules custom : customRules(push, proxy, false)) {
            if (custom.extAuthz().isEmpty()) {
                filters.add(httpRbac(Optional.of(custom.denyAll()), Optional.empty(), ""));
                continue;
            }
            filters.add(httpRbac(custom.dryRunRules(), Optional.of(custom.shadowRules()), EXT_AUTHZ_STAT_PREFIX));
            filters.add(httpFilter("envoy.filters.http.ext_authz", Any.pack(custom.extAuthz().get().http()
                    .orElseThrow().toBuilder().setFilterEnabledMetadata(enabledBy(HTTP_RBAC, custom.provider()))
                    .build())));
        }
        return filters;
    }

    /** Network filters of the CUSTOM policies; providers without a gRPC service (HTTP ones) have none. */
    public static List<Filter> customTcp(PushContext push, ProxyNode proxy) {
        List<Filter> filters = new ArrayList<>();
        for (CustomRules custom : customRules(push, proxy, true)) {
            var tcp = custom.extAuthz().flatMap(ExtAuthzProviders.Resolved::tcp);
            if (custom.extAuthz().isEmpty()) {
                filters.add(networkRbac(Optional.of(custom.denyAll()), Optional.empty(), ""));
            } else if (tcp.isPresent()) {
                filters.add(networkRbac(custom.dryRunRules(), Optional.of(custom.shadowRules()), EXT_AUTHZ_STAT_PREFIX));
                filters.add(networkFilter("envoy.filters.network.ext_authz", Any.pack(tcp.get().toBuilder()
                        .setFilterEnabledMetadata(enabledBy(NETWORK_RBAC, custom.provider())).build())));
            }
        }
        return filters;
    }

    /** The rules of each action some policy of the workload has, in Istio's order. */
    private static List<PolicyRules> localRules(PushContext push, ProxyNode proxy, boolean forTcp) {
        List<PolicyRules> out = new ArrayList<>();
        for (Map.Entry<AuthorizationAction, RBAC.Action> action : LOCAL_ACTIONS) {
            List<Resource<AuthorizationPolicy>> policies = policies(push, proxy, action.getKey());
            if (!policies.isEmpty()) {
                out.add(PolicyRules.of(policies, action.getValue(), forTcp, trustDomains(push), ""));
            }
        }
        return out;
    }

    private static HttpFilter httpRbac(Optional<RBAC> rules, Optional<RBAC> shadowRules, String shadowStatPrefix) {
        var rbac = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                .setShadowRulesStatPrefix(shadowStatPrefix);
        rules.ifPresent(rbac::setRules);
        shadowRules.ifPresent(rbac::setShadowRules);
        return httpFilter(HTTP_RBAC, Any.pack(rbac.build()));
    }

    private static Filter networkRbac(Optional<RBAC> rules, Optional<RBAC> shadowRules, String shadowStatPrefix) {
        var rbac = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                .setStatPrefix(TCP_STAT_PREFIX)
                .setShadowRulesStatPrefix(shadowStatPrefix);
        rules.ifPresent(rbac::setRules);
        shadowRules.ifPresent(rbac::setShadowRules);
        return networkFilter(NETWORK_RBAC, Any.pack(rbac.build()));
    }

    /**
     * The CUSTOM rules of one provider. The enforced policies go into the rbac filter's shadow rules (the filter
     * only records the match; ext_authz enforces), the dry-run ones into its rules, as Istio does.
     *
     * @param extAuthz the provider's filters; empty when it cannot be used, and then {@link #denyAll} applies
     */
    private record CustomRules(String provider, PolicyRules rules, Optional<ExtAuthzProviders.Resolved> extAuthz) {

        RBAC shadowRules() {
            return rules.rules().orElse(RBAC.newBuilder().setAction(RBAC.Action.DENY).build());
        }

        Optional<RBAC> dryRunRules() {
            return rules.shadowRules().filter(r -> r.getPoliciesCount() > 0);
        }

        /** The enforced policies as DENY rules, each name marked as denying because of the bad provider. */
        RBAC denyAll() {
            RBAC.Builder deny = RBAC.newBuilder().setAction(RBAC.Action.DENY);
            shadowRules().getPoliciesMap().forEach((name, policy) -> deny.putPolicies(name + BAD_CUSTOM_SUFFIX, policy));
            return deny.build();
        }
    }

    private static List<CustomRules> customRules(PushContext push, ProxyNode proxy, boolean forTcp) {
        Map<String, List<Resource<AuthorizationPolicy>>> byProvider = new TreeMap<>();
        for (Resource<AuthorizationPolicy> policy : policies(push, proxy, AuthorizationAction.CUSTOM)) {
            String provider = policy.spec().provider() == null || policy.spec().provider().name() == null ? ""
                    : policy.spec().provider().name();
            byProvider.computeIfAbsent(provider, p -> new ArrayList<>()).add(policy);
        }
        if (byProvider.isEmpty()) {
            return List.of();
        }
        Map<String, ExtAuthzProviders.Resolved> providers = ExtAuthzProviders.resolve(push);
        // Istio allows one provider per workload (unless PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS).
        boolean several = byProvider.size() > 1;
        List<CustomRules> out = new ArrayList<>();
        byProvider.forEach((provider, policies) -> {
            String prefix = provider.isEmpty() ? EXT_AUTHZ_PREFIX + "-" : EXT_AUTHZ_PREFIX + "-" + provider + "-";
            PolicyRules rules = PolicyRules.of(policies, RBAC.Action.DENY, forTcp, trustDomains(push), prefix);
            ExtAuthzProviders.Resolved resolved = providers.get(provider);
            boolean usable = !several && resolved != null && resolved.errors().isEmpty();
            out.add(new CustomRules(provider, rules, usable ? Optional.of(resolved) : Optional.empty()));
        });
        return out;
    }

    /** ext_authz runs only when the rbac filter before it recorded a CUSTOM policy of this provider as matched. */
    private static MetadataMatcher enabledBy(String rbacFilter, String provider) {
        return RbacMatchers.metadata(rbacFilter, List.of(EXT_AUTHZ_STAT_PREFIX + "shadow_effective_policy_id"),
                RbacMatchers.stringValue(RbacMatchers.prefix(EXT_AUTHZ_PREFIX + "-" + provider, false)));
    }

    private static List<Resource<AuthorizationPolicy>> policies(PushContext push, ProxyNode proxy,
            AuthorizationAction action) {
        return push.authorizationPoliciesFor(proxy).stream()
                .filter(p -> (p.spec().action() == null ? AuthorizationAction.ALLOW : p.spec().action()) == action)
                .toList();
    }

    private static TrustDomains trustDomains(PushContext push) {
        MeshSettings mesh = push.mesh();
        return TrustDomains.of(mesh.trustDomain(), mesh.trustDomainAliases());
    }

    private static HttpFilter httpFilter(String name, Any config) {
        return HttpFilter.newBuilder().setName(name).setTypedConfig(config).build();
    }

    private static Filter networkFilter(String name, Any config) {
        return Filter.newBuilder().setName(name).setTypedConfig(config).build();
    }
}
