package dev.weft.xds.authz;

import dev.weft.model.security.Condition;
import dev.weft.model.security.Operation;
import dev.weft.model.security.Rule;
import dev.weft.model.security.RuleFrom;
import dev.weft.model.security.RuleTo;
import dev.weft.model.security.Source;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One rule of an AuthorizationPolicy as an Envoy RBAC policy (Istio's authz model): one permission per
 * {@code to} and one principal per {@code from}, each the AND of its fields, with the {@code when} conditions
 * added to every one of them (destination keys to the permissions, the others to the principals). Field order
 * follows Istio's, so the output compares equal to what istiod sends.
 *
 * @param namespace the policy's namespace (service accounts without one are in it)
 */
record RuleModel(List<List<Clause>> permissions, List<List<Clause>> principals, String namespace) {

    /** An attribute with the values it may have (ORed) and those it must not have. */
    record Clause(Attribute attribute, String key, List<String> values, List<String> notValues) {

        Clause {
            values = List.copyOf(values);
            notValues = List.copyOf(notValues);
        }

        Clause map(UnaryOperator<List<String>> change) {
            return new Clause(attribute, key, values.isEmpty() ? values : change.apply(values),
                    notValues.isEmpty() ? notValues : change.apply(notValues));
        }
    }

    /** The rule's model; empty when a {@code when} key is not one Istio knows (istiod skips such a rule). */
    static Optional<RuleModel> of(Rule rule, String namespace) {
        List<Clause> basePermission = new ArrayList<>();
        List<Clause> basePrincipal = new ArrayList<>();
        for (Condition when : list(rule.when())) {
            Optional<Attribute> attribute = Attribute.ofKey(when.key());
            if (attribute.isEmpty()) {
                return Optional.empty();
            }
            add(attribute.get().isPrincipal() ? basePrincipal : basePermission, attribute.get(), when.key(),
                    list(when.values()), list(when.notValues()));
        }
        List<List<Clause>> principals = new ArrayList<>();
        for (RuleFrom from : list(rule.from())) {
            List<Clause> merged = new ArrayList<>();
            Source s = from == null ? null : from.source();
            if (s != null) {
                add(merged, Attribute.SOURCE_PRINCIPAL, "source.principal", s.principals(), s.notPrincipals());
                add(merged, Attribute.REQUEST_PRINCIPAL, "request.auth.principal", s.requestPrincipals(),
                        s.notRequestPrincipals());
                add(merged, Attribute.SOURCE_SERVICE_ACCOUNT, "source.serviceAccount", s.serviceAccounts(),
                        s.notServiceAccounts());
                add(merged, Attribute.SOURCE_TRUST_DOMAIN, "source.trustDomain", s.trustDomains(),
                        s.notTrustDomains());
                add(merged, Attribute.SOURCE_NAMESPACE, "source.namespace", s.namespaces(), s.notNamespaces());
                add(merged, Attribute.REMOTE_IP, "remote.ip", s.remoteIpBlocks(), s.notRemoteIpBlocks());
                add(merged, Attribute.SOURCE_IP, "source.ip", s.ipBlocks(), s.notIpBlocks());
            }
            merged.addAll(basePrincipal);
            principals.add(merged);
        }
        if (principals.isEmpty()) {
            principals.add(basePrincipal);
        }
        List<List<Clause>> permissions = new ArrayList<>();
        for (RuleTo to : list(rule.to())) {
            List<Clause> merged = new ArrayList<>();
            Operation o = to == null ? null : to.operation();
            if (o != null) {
                add(merged, Attribute.HOST, ":authority", o.hosts(), o.notHosts());
                add(merged, Attribute.METHOD, ":method", o.methods(), o.notMethods());
                add(merged, Attribute.PATH, "path-matcher", o.paths(), o.notPaths());
                add(merged, Attribute.DESTINATION_PORT, "destination.port", o.ports(), o.notPorts());
            }
            merged.addAll(basePermission);
            permissions.add(merged);
        }
        if (permissions.isEmpty()) {
            permissions.add(basePermission);
        }
        return Optional.of(new RuleModel(permissions, principals, namespace));
    }

    /**
     * With peer identities in the trust domain's aliases too: principals are rewritten for each alias, trust
     * domain values expanded to all of them.
     */
    RuleModel withTrustDomains(TrustDomains trustDomains) {
        List<List<Clause>> migrated = principals.stream().map(clauses -> clauses.stream().map(c -> switch (c.attribute()) {
            case SOURCE_PRINCIPAL -> c.map(trustDomains::withAliases);
            case SOURCE_TRUST_DOMAIN -> c.map(trustDomains::expand);
            default -> c;
        }).toList()).toList();
        return new RuleModel(permissions, migrated, namespace);
    }

    /**
     * The RBAC policy for a chain ({@code forTcp}: without HTTP attributes). Under ALLOW a value that cannot be
     * checked drops the whole rule (empty); under the other actions only that value is left out.
     */
    Optional<Policy> policy(boolean forTcp, boolean allow) {
        Policy.Builder policy = Policy.newBuilder();
        try {
            for (List<Clause> clauses : permissions) {
                policy.addPermissions(and(clauses, PERMISSIONS, allow,
                        (c, value) -> c.attribute().permission(c.key(), value, forTcp),
                        (c, values) -> c.attribute().permission(c.key(), values, forTcp)));
            }
            for (List<Clause> clauses : principals) {
                policy.addPrincipals(and(clauses, PRINCIPALS, allow,
                        (c, value) -> c.attribute().principal(c.key(), value, forTcp, namespace),
                        (c, values) -> c.attribute().principal(c.key(), values, forTcp)));
            }
        } catch (Inexpressible e) {
            return Optional.empty();
        }
        return Optional.of(policy.build());
    }

    /** How permissions or principals combine: Envoy has the same operators for both, on different types. */
    private record Logic<T>(Function<List<T>, T> and, Function<List<T>, T> or, UnaryOperator<T> not, T any) {
    }

    private static final Logic<Permission> PERMISSIONS = new Logic<>(
            rules -> Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(rules)).build(),
            rules -> Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addAllRules(rules)).build(),
            rule -> Permission.newBuilder().setNotRule(rule).build(),
            Permission.newBuilder().setAny(true).build());

    private static final Logic<Principal> PRINCIPALS = new Logic<>(
            ids -> Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(ids)).build(),
            ids -> Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(ids)).build(),
            id -> Principal.newBuilder().setNotId(id).build(),
            Principal.newBuilder().setAny(true).build());

    private interface OneValue<T> {
        T of(Clause clause, String value) throws Inexpressible;
    }

    private interface AllValues<T> {
        T of(Clause clause, List<String> values) throws Inexpressible;
    }

    /**
     * The AND of the clauses (any, without one): per clause the OR of its values, then NOT the OR of its
     * {@code not} values; a whole-list attribute makes one matcher of each list.
     */
    private static <T> T and(List<Clause> clauses, Logic<T> logic, boolean allow, OneValue<T> one,
            AllValues<T> all) throws Inexpressible {
        List<T> and = new ArrayList<>();
        for (Clause c : clauses) {
            if (c.attribute().takesWholeList()) {
                if (!c.values().isEmpty()) {
                    tolerant(allow, () -> all.of(c, c.values())).ifPresent(and::add);
                }
                if (!c.notValues().isEmpty()) {
                    tolerant(allow, () -> all.of(c, c.notValues())).map(logic.not()).ifPresent(and::add);
                }
                continue;
            }
            List<T> or = new ArrayList<>();
            for (String value : c.values()) {
                tolerant(allow, () -> one.of(c, value)).ifPresent(or::add);
            }
            if (!or.isEmpty()) {
                and.add(logic.or().apply(or));
            }
            List<T> notOr = new ArrayList<>();
            for (String value : c.notValues()) {
                tolerant(allow, () -> one.of(c, value)).ifPresent(notOr::add);
            }
            if (!notOr.isEmpty()) {
                and.add(logic.not().apply(logic.or().apply(notOr)));
            }
        }
        return logic.and().apply(and.isEmpty() ? List.of(logic.any()) : and);
    }

    private interface Translation<T> {
        T get() throws Inexpressible;
    }

    /** The translated value; a value that cannot be checked fails the rule under ALLOW and is skipped otherwise. */
    private static <T> Optional<T> tolerant(boolean allow, Translation<T> translation) throws Inexpressible {
        try {
            return Optional.of(translation.get());
        } catch (Inexpressible e) {
            if (allow) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static void add(List<Clause> clauses, Attribute attribute, String key, List<String> values,
            List<String> notValues) {
        List<String> v = list(values);
        List<String> nv = list(notValues);
        if (!v.isEmpty() || !nv.isEmpty()) {
            clauses.add(new Clause(attribute, key, v, nv));
        }
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
