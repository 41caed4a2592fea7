package dev.weft.proxy.filter.jwt;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.nimbusds.jose.jwk.JWKSet;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.router.RequestMatch;
import dev.weft.proxy.tls.DataSources;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement.RequiresTypeCase;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RemoteJwks;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parses {@code envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication} as Istio sends RequestAuthentication:
 * providers (issuer, audiences, {@code local_jwks} or {@code remote_jwks}, token locations, forward, payload and
 * claim headers, {@code payload_in_metadata} with {@code normalize_payload_in_metadata}, clock skew), {@code rules}
 * with their requirements (provider, any, all, allow_missing, allow_missing_or_failed) and
 * {@code bypass_cors_preflight}. Stats: {@code http.<prefix>.jwt_authn.allowed|denied|cors_preflight_bypassed}.
 */
public final class JwtAuthnFilterParser {

    private static final MessageType<JwtAuthentication> JWT_AUTHENTICATION = MessageType.of(
            JwtAuthentication.getDescriptor(), JwtAuthentication.parser());

    public static final String CONFIG_TYPE = JWT_AUTHENTICATION.fullName();

    private static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Duration DEFAULT_CACHE_DURATION = Duration.ofMinutes(10);
    private static final Pattern HEADER_NAME = Pattern.compile("^[-_A-Za-z0-9]+$");

    private JwtAuthnFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        return (any, context) -> factory(unpack(any), context);
    }

    private static dev.weft.proxy.filter.HttpFilterFactory factory(JwtAuthentication config, FilterContext context) {
        if (config.hasFilterStateRules()) {
            throw new ConfigException("jwt_authn filter_state_rules are not supported");
        }
        Map<String, JwtProvider> providers = new TreeMap<>();
        config.getProvidersMap().forEach((name, p) -> providers.put(name, provider(name, p)));
        Map<String, JwtRequirement> requirementMap = new TreeMap<>();
        config.getRequirementMapMap().forEach((name, r) -> requirementMap.put(name,
                requirement(r, providers, "requirement_map '" + name + "'")));
        List<JwtRule> rules = new ArrayList<>();
        for (int i = 0; i < config.getRulesCount(); i++) {
            rules.add(rule(config.getRules(i), providers, requirementMap, "rules[" + i + "]"));
        }
        String prefix = "http." + context.statPrefix() + ".jwt_authn.";
        JwtAuthnFilter.Stats stats = new JwtAuthnFilter.Stats(context.stats().counter(prefix + "allowed"),
                context.stats().counter(prefix + "denied"), context.stats().counter(prefix + "cors_preflight_bypassed"));
        Map<String, JwtProvider> frozen = Map.copyOf(providers);
        List<JwtRule> frozenRules = List.copyOf(rules);
        boolean bypass = config.getBypassCorsPreflight();
        return () -> new JwtAuthnFilter(frozen, frozenRules, bypass, stats);
    }

    private static JwtProvider provider(String name,
            io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider p) {
        String field = "provider '" + name + "'";
        List<TokenLocation> locations = new ArrayList<>();
        p.getFromHeadersList().forEach(h -> locations.add(new TokenLocation.Header(
                h.getName().toLowerCase(java.util.Locale.ROOT), h.getValuePrefix())));
        p.getFromParamsList().forEach(param -> locations.add(new TokenLocation.Param(param)));
        p.getFromCookiesList().forEach(cookie -> locations.add(new TokenLocation.CookieLocation(cookie)));
        List<JwtProvider.ClaimHeader> claimHeaders = new ArrayList<>();
        for (var c : p.getClaimToHeadersList()) {
            claimHeaders.add(new JwtProvider.ClaimHeader(header(c.getHeaderName(), field + " claim_to_headers"),
                    c.getClaimName()));
        }
        return new JwtProvider(name, p.getIssuer(), new HashSet<>(p.getAudiencesList()),
                locations.isEmpty() ? TokenLocation.DEFAULTS : locations, p.getForward(),
                p.getForwardPayloadHeader().isEmpty() ? null
                        : header(p.getForwardPayloadHeader(), field + " forward_payload_header"),
                claimHeaders, p.getPayloadInMetadata().isEmpty() ? null : p.getPayloadInMetadata(),
                Set.copyOf(p.getNormalizePayloadInMetadata().getSpaceDelimitedClaimsList()),
                p.getClockSkewSeconds() == 0 ? DEFAULT_CLOCK_SKEW : Duration.ofSeconds(p.getClockSkewSeconds()),
                keys(p, field));
    }

    private static JwksSource keys(io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider p,
            String field) {
        return switch (p.getJwksSourceSpecifierCase()) {
            case LOCAL_JWKS -> {
                String text = new String(DataSources.read(p.getLocalJwks(), field + " local_jwks"),
                        StandardCharsets.UTF_8);
                try {
                    yield new JwksSource.Local(JWKSet.parse(text));
                } catch (java.text.ParseException e) {
                    throw new ConfigException(field + " local_jwks is not a JWK set: " + e.getMessage());
                }
            }
            case REMOTE_JWKS -> remote(p.getRemoteJwks(), field);
            default -> throw new ConfigException(field + " needs local_jwks or remote_jwks");
        };
    }

    private static JwksSource remote(RemoteJwks remote, String field) {
        var uri = remote.getHttpUri();
        if (uri.getCluster().isEmpty()) {
            throw new ConfigException(field + " remote_jwks http_uri needs a cluster");
        }
        URI parsed;
        try {
            parsed = URI.create(uri.getUri());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field + " remote_jwks uri '" + uri.getUri() + "' is not a URI");
        }
        if (parsed.getRawAuthority() == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new ConfigException(field + " remote_jwks uri '" + uri.getUri() + "' must be an http or https URL");
        }
        if (!uri.hasTimeout()) {
            throw new ConfigException(field + " remote_jwks http_uri needs a timeout");
        }
        Duration cache = remote.hasCacheDuration() ? Durations.of(remote.getCacheDuration()) : DEFAULT_CACHE_DURATION;
        return new JwksSource.Remote(parsed, uri.getCluster(), Durations.of(uri.getTimeout()), cache);
    }

    private static String header(String name, String field) {
        if (!HEADER_NAME.matcher(name).matches()) {
            throw new ConfigException(field + ": '" + name + "' is not a valid header name");
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static JwtRule rule(RequirementRule rule, Map<String, JwtProvider> providers,
            Map<String, JwtRequirement> requirementMap, String field) {
        if (!rule.hasMatch()) {
            throw new ConfigException(field + " needs a match");
        }
        RequestMatch match;
        try {
            match = RequestMatch.compile(rule.getMatch());
        } catch (ConfigException e) {
            throw new ConfigException(field + " match: " + e.getMessage());
        }
        JwtRequirement requirement = switch (rule.getRequirementTypeCase()) {
            case REQUIRES -> requirement(rule.getRequires(), providers, field + " requires");
            case REQUIREMENT_NAME -> {
                JwtRequirement named = requirementMap.get(rule.getRequirementName());
                if (named == null) {
                    throw new ConfigException(field + " names requirement '" + rule.getRequirementName()
                            + "', which requirement_map does not have");
                }
                yield named;
            }
            default -> JwtRequirement.NONE;
        };
        return new JwtRule(match, requirement);
    }

    private static JwtRequirement requirement(
            io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement r,
            Map<String, JwtProvider> providers, String field) {
        RequiresTypeCase type = r.getRequiresTypeCase();
        return switch (type) {
            case PROVIDER_NAME -> new JwtRequirement.Provider(known(r.getProviderName(), providers, field), null);
            case PROVIDER_AND_AUDIENCES -> new JwtRequirement.Provider(
                    known(r.getProviderAndAudiences().getProviderName(), providers, field),
                    Set.copyOf(r.getProviderAndAudiences().getAudiencesList()));
            case REQUIRES_ANY, REQUIRES_ALL -> {
                var list = type == RequiresTypeCase.REQUIRES_ANY ? r.getRequiresAny().getRequirementsList()
                        : r.getRequiresAll().getRequirementsList();
                if (list.size() < 2) {
                    throw new ConfigException(field + " " + type.name().toLowerCase(java.util.Locale.ROOT)
                            + " needs at least 2 requirements");
                }
                List<JwtRequirement> parts = list.stream().map(x -> requirement(x, providers, field)).toList();
                Set<String> names = new HashSet<>();
                parts.forEach(part -> names.addAll(part.providers()));
                yield type == RequiresTypeCase.REQUIRES_ANY ? new JwtRequirement.Any(parts, Set.copyOf(names))
                        : new JwtRequirement.All(parts, Set.copyOf(names));
            }
            case ALLOW_MISSING -> new JwtRequirement.AllowMissing(false, Set.copyOf(providers.keySet()));
            case ALLOW_MISSING_OR_FAILED -> new JwtRequirement.AllowMissing(true, Set.copyOf(providers.keySet()));
            case REQUIRESTYPE_NOT_SET -> JwtRequirement.NONE;
        };
    }

    private static String known(String provider, Map<String, JwtProvider> providers, String field) {
        if (!providers.containsKey(provider)) {
            throw new ConfigException(field + " names provider '" + provider + "', which is not configured");
        }
        return provider;
    }

    private static JwtAuthentication unpack(Any any) {
        try {
            return JWT_AUTHENTICATION.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("jwt_authn config does not parse: " + e.getMessage());
        }
    }
}
