package dev.weft.proxy.filter.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import dev.weft.proxy.router.RouteRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request's tokens and what became of them: each token is parsed once and verified once per provider (and
 * audience override), and the tokens that verified are kept, in order, for what they leave on the request.
 */
final class RequestVerification {

    /** A token that verified, with the provider that accepted it. */
    record Verified(JwtProvider provider, ParsedToken token) {
    }

    private record Check(String provider, String token, Set<String> audiences) {
    }

    private final Map<String, JwtProvider> providers;
    private final RouteRequest request;
    private final Instant now;
    private final long nowNanos;
    private final Map<String, List<String>> tokensByProvider = new HashMap<>();
    private final Map<String, ParsedToken.Result> parsed = new HashMap<>();
    private final Map<Check, JwtStatus> checks = new HashMap<>();
    private final Map<String, Verified> verified = new LinkedHashMap<>();

    RequestVerification(Map<String, JwtProvider> providers, RouteRequest request, Instant now, long nowNanos) {
        this.providers = providers;
        this.request = request;
        this.now = now;
        this.nowNanos = nowNanos;
    }

    /** The tokens in the provider's locations, in location order. */
    List<String> tokens(String provider) {
        return tokensByProvider.computeIfAbsent(provider, name -> {
            List<String> tokens = new ArrayList<>();
            for (TokenLocation location : providers.get(name).locations()) {
                tokens.addAll(location.extract(request));
            }
            return tokens;
        });
    }

    JwtStatus verifyProvider(String name, Set<String> audiences) {
        List<String> tokens = tokens(name);
        if (tokens.isEmpty()) {
            return JwtStatus.MISSING;
        }
        for (String token : tokens) {
            JwtStatus s = check(name, token, audiences);
            if (s != JwtStatus.OK) {
                return s;
            }
        }
        return JwtStatus.OK;
    }

    /**
     * Every token in any provider's locations, verified by the provider of its issuer among those that look there;
     * a token no such provider issues is UNKNOWN_ISSUER. MISSING when there are none.
     */
    JwtStatus verifyAnyPresent() {
        Set<String> present = new LinkedHashSet<>();
        Map<String, String> providerByToken = new HashMap<>();
        for (JwtProvider p : providers.values()) {
            for (String token : tokens(p.name())) {
                present.add(token);
                if (parse(token) instanceof ParsedToken.Parsed ok
                        && (p.issuer().isEmpty() || p.issuer().equals(ok.token().issuer()))) {
                    providerByToken.putIfAbsent(token, p.name());
                }
            }
        }
        if (present.isEmpty()) {
            return JwtStatus.MISSING;
        }
        for (String token : present) {
            JwtStatus s;
            if (parse(token) instanceof ParsedToken.Failed failed) {
                s = failed.status();
            } else {
                String provider = providerByToken.get(token);
                s = provider == null ? JwtStatus.UNKNOWN_ISSUER : check(provider, token, null);
            }
            if (s != JwtStatus.OK) {
                return s;
            }
        }
        return JwtStatus.OK;
    }

    private ParsedToken.Result parse(String token) {
        return parsed.computeIfAbsent(token, ParsedToken::parse);
    }

    private JwtStatus check(String providerName, String token, Set<String> audiences) {
        return checks.computeIfAbsent(new Check(providerName, token, audiences), c -> {
            if (!(parse(token) instanceof ParsedToken.Parsed ok)) {
                return ((ParsedToken.Failed) parse(token)).status();
            }
            JwtProvider provider = providers.get(providerName);
            JWKSet keys = provider.keys().keys(nowNanos);
            if (keys == null) {
                return JwtStatus.JWKS_FETCH_FAILED;
            }
            JwtProvider effective = audiences == null ? provider : withAudiences(provider, audiences);
            JwtStatus status = TokenVerifier.verify(effective, ok.token(), keys, now);
            if (status == JwtStatus.OK) {
                verified.putIfAbsent(providerName + " " + token, new Verified(provider, ok.token()));
            }
            return status;
        });
    }

    private static JwtProvider withAudiences(JwtProvider p, Set<String> audiences) {
        return new JwtProvider(p.name(), p.issuer(), audiences, p.locations(), p.forward(), p.payloadHeader(),
                p.claimHeaders(), p.payloadInMetadata(), p.spaceDelimitedClaims(), p.clockSkew(), p.keys());
    }

    /** The tokens that verified, in the order they did. */
    List<Verified> verified() {
        return List.copyOf(verified.values());
    }
}
