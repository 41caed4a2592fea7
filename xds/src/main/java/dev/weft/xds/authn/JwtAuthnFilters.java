package dev.weft.xds.authn;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import dev.weft.model.Resource;
import dev.weft.model.security.JWTRule;
import dev.weft.model.security.RequestAuthentication;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementAndList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * RequestAuthentication to Envoy's {@code jwt_authn}, as Istio's {@code convertToEnvoyJwtConfig}: the jwtRules of
 * every policy that applies to the workload, sorted by issuer, each a provider {@code origins-<i>} with its keys
 * inlined ({@link JwksResolver}), the payload in metadata under {@code payload} (for RBAC's request principals and
 * claims) and {@code scope}/{@code permission} split into lists. The requirement lets a request without a token
 * through and rejects an invalid one: {@code any(P, allow_missing)} for one provider,
 * {@code any(P1..Pn, all(any(P1, allow_missing)..any(Pn, allow_missing)))} for several.
 */
public final class JwtAuthnFilters {

    public static final String FILTER_NAME = "envoy.filters.http.jwt_authn";
    /** The key of the payload in the filter's metadata; Istio's authorization matches {@code [payload, <claim>]}. */
    public static final String PAYLOAD_KEY = "payload";

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> ALWAYS_SPACE_DELIMITED = List.of("permission", "scope");

    private JwtAuthnFilters() {
    }

    /** The jwt_authn filter for the workload, or none when no RequestAuthentication with rules applies. */
    public static List<HttpFilter> forWorkload(PushContext push, ProxyNode proxy) {
        List<JWTRule> rules = push.requestAuthenticationsFor(proxy).stream()
                .map(Resource::spec)
                .flatMap(spec -> spec.jwtRules().stream())
                .sorted(Comparator.comparing(r -> Objects.requireNonNullElse(r.issuer(), "")))
                .toList();
        if (rules.isEmpty()) {
            return List.of();
        }
        return List.of(HttpFilter.newBuilder().setName(FILTER_NAME)
                .setTypedConfig(Any.pack(config(rules, push.jwks()))).build());
    }

    static JwtAuthentication config(List<JWTRule> rules, JwksResolver jwks) {
        JwtAuthentication.Builder config = JwtAuthentication.newBuilder().setBypassCorsPreflight(true);
        List<JwtRequirement> eachOrMissing = new ArrayList<>();
        List<JwtRequirement> anyProvider = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String name = "origins-" + i;
            config.putProviders(name, provider(rules.get(i), jwks));
            JwtRequirement provider = JwtRequirement.newBuilder().setProviderName(name).build();
            anyProvider.add(provider);
            eachOrMissing.add(any(List.of(provider,
                    JwtRequirement.newBuilder().setAllowMissing(Empty.getDefaultInstance()).build())));
        }
        JwtRequirement requirement;
        if (eachOrMissing.size() == 1) {
            requirement = eachOrMissing.getFirst();
        } else {
            // The outer any lets a token through that several providers share a location for (their inner
            // all would fail on the others' issuer); the inner all rejects any token that is present and invalid.
            List<JwtRequirement> outer = new ArrayList<>(anyProvider);
            outer.add(JwtRequirement.newBuilder().setRequiresAll(JwtRequirementAndList.newBuilder()
                    .addAllRequirements(eachOrMissing)).build());
            requirement = any(outer);
        }
        return config.addRules(RequirementRule.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRequires(requirement)).build();
    }

    private static JwtRequirement any(List<JwtRequirement> requirements) {
        return JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder()
                .addAllRequirements(requirements)).build();
    }

    private static JwtProvider provider(JWTRule rule, JwksResolver jwks) {
        String issuer = Objects.requireNonNullElse(rule.issuer(), "");
        Duration timeout = rule.timeout() != null ? rule.timeout() : DEFAULT_TIMEOUT;
        String keys = rule.jwks() != null && !rule.jwks().isEmpty() ? rule.jwks()
                : jwks.jwks(issuer, Objects.requireNonNullElse(rule.jwksUri(), ""), timeout);
        TreeSet<String> spaceDelimited = new TreeSet<>(ALWAYS_SPACE_DELIMITED);
        spaceDelimited.addAll(rule.spaceDelimitedClaims());
        JwtProvider.Builder provider = JwtProvider.newBuilder()
                .setIssuer(issuer)
                .addAllAudiences(rule.audiences())
                .setForward(rule.forwardOriginalToken())
                .setPayloadInMetadata(PAYLOAD_KEY)
                .setNormalizePayloadInMetadata(JwtProvider.NormalizePayload.newBuilder()
                        .addAllSpaceDelimitedClaims(spaceDelimited))
                .setLocalJwks(DataSource.newBuilder().setInlineString(keys))
                .addAllFromParams(rule.fromParams())
                .addAllFromCookies(rule.fromCookies());
        if (rule.outputPayloadToHeader() != null) {
            provider.setForwardPayloadHeader(rule.outputPayloadToHeader());
        }
        rule.outputClaimToHeaders().forEach(c -> provider.addClaimToHeaders(JwtClaimToHeader.newBuilder()
                .setHeaderName(c.header()).setClaimName(c.claim())));
        rule.fromHeaders().forEach(h -> provider.addFromHeaders(JwtHeader.newBuilder().setName(h.name())
                .setValuePrefix(Objects.requireNonNullElse(h.prefix(), ""))));
        return provider.build();
    }
}
