package dev.weft.proxy.filter.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's jwt_authn as Istio configures RequestAuthentication, driven over real sockets with the Istio samples'
 * tokens and key ({@code security/tools/jwt/samples}): a valid token passes and reaches RBAC as dynamic metadata,
 * an invalid one is a 401 with Envoy's challenge, a missing one passes unless RBAC requires a principal.
 */
class JwtAuthnFilterTest {

    private static final Path SAMPLES = Path.of(System.getProperty("weft.shared.dir"), "istio", "corpus",
            "security", "tools", "jwt", "samples");
    private static final String ISSUER = "testing@secure.istio.io";

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private FakeHttpUpstream jwksServer;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
        if (jwksServer != null) {
            jwksServer.close();
        }
    }

    private static String sample(String name) {
        try {
            return Files.readString(SAMPLES.resolve(name)).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError("Istio sample " + name + " is missing", e);
        }
    }

    private static RSAKey sampleKey() throws Exception {
        return JWK.parseFromPEMEncodedObjects(sample("key.pem")).toRSAKey();
    }

    /** A token signed with the samples' key and its kid, as Istio's gen-jwt.py makes them. */
    private static String mint(JWTClaimsSet claims) throws Exception {
        RSAKey key = sampleKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ").build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject(ISSUER)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)));
    }

    /** Istio's provider: the sample JWKS inline, payload in metadata, the given extra provider fields. */
    private static String provider(String extra) {
        return """
                issuer: testing@secure.istio.io
                local_jwks: { inline_string: '%s' }
                payload_in_metadata: payload
                normalize_payload_in_metadata: { space_delimited_claims: [ permission, scope ] }
                """.formatted(sample("jwks.json").replace("\n", "")) + extra;
    }

    /** Istio's single-provider filter: the token, if there is one, must be valid. */
    private static String jwtFilter(String providerExtra) {
        return jwtAuthn(Map.of("origins-0", provider(providerExtra)), """
                - match: { prefix: / }
                  requires: { requires_any: { requirements: [ { provider_name: origins-0 }, { allow_missing: {} } ] } }
                """);
    }

    private static String jwtAuthn(Map<String, String> providers, String rules) {
        StringBuilder yaml = new StringBuilder("""
                - name: envoy.filters.http.jwt_authn
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication
                    bypass_cors_preflight: true
                    providers:
                """);
        new java.util.TreeMap<>(providers).forEach((name, p) -> yaml.append("      ").append(name).append(":\n")
                .append(Bootstraps.indent(p, 8)));
        yaml.append("    rules:\n").append(Bootstraps.indent(rules, 6));
        return Bootstraps.indent(yaml.toString(), 10);
    }

    private static String rbacFilter(String rules) {
        return Bootstraps.indent("""
                - name: envoy.filters.http.rbac
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                """ + Bootstraps.indent(rules, 4), 10);
    }

    private void start(String filters, String clusters) {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), filters, Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()) + clusters));
    }

    private void start(String filters) {
        start(filters, "");
    }

    private HttpResponse<String> withToken(String path, String token) {
        return proxy.get(path, "authorization", "Bearer " + token);
    }

    @Test
    void validTokensPassAndInvalidOnesGetEnvoysChallenge() throws Exception {
        start(jwtFilter(""));
        assertThat(withToken("/ok", sample("demo.jwt")).statusCode()).isEqualTo(200);
        assertThat(proxy.get("/ok?access_token=" + sample("groups-scope.jwt")).statusCode())
                .as("the access_token parameter is a default location").isEqualTo(200);
        assertThat(proxy.get("/no-token").statusCode()).as("a missing token is allowed").isEqualTo(200);

        String tampered = sample("demo.jwt");
        tampered = tampered.substring(0, tampered.length() - 4) + (tampered.endsWith("AAAA") ? "BBBB" : "AAAA");
        HttpResponse<String> bad = withToken("/secret?x=1", tampered);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).isEqualTo("Jwt verification fails");
        assertThat(bad.headers().firstValue("www-authenticate")).contains(
                "Bearer realm=\"http://127.0.0.1:" + proxy.port() + "/secret\", error=\"invalid_token\"");

        HttpResponse<String> expired = withToken("/", mint(claims()
                .expirationTime(Date.from(Instant.now().minusSeconds(120))).build()));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).isEqualTo("Jwt is expired");
        assertThat(withToken("/", mint(claims().expirationTime(Date.from(Instant.now().minusSeconds(30))).build()))
                .statusCode()).as("within the 60 s clock skew").isEqualTo(200);
        assertThat(withToken("/", mint(claims().notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()))
                .body()).isEqualTo("Jwt not yet valid");
        assertThat(withToken("/", mint(claims().issuer("someone-else").build())).body())
                .isEqualTo("Jwt issuer is not configured");

        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + ISSUER + "\"}");
        assertThat(withToken("/", header + "." + payload + ".").statusCode()).as("alg none").isEqualTo(401);
        assertThat(withToken("/", "not-a-jwt").statusCode()).as("malformed").isEqualTo(401);
        assertThat(withToken("/", "a.b.c").statusCode()).as("malformed parts").isEqualTo(401);

        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(otherKey.getKeyID()).build(),
                claims().build());
        forged.sign(new RSASSASigner(otherKey));
        assertThat(withToken("/", forged.serialize()).body()).isEqualTo("Jwt verification fails");

        assertThat(up.requests()).extracting(r -> r.uri()).allMatch(u -> !u.startsWith("/secret"));
        assertThat(proxy.server().stats().value("http.ingress_http.jwt_authn.denied")).isEqualTo(8);
    }

    @Test
    void theTokenIsRemovedUnlessForwardedAndThePayloadAndClaimsBecomeHeaders() throws Exception {
        start(jwtFilter("""
                forward_payload_header: x-jwt-payload
                claim_to_headers: [ { header_name: x-jwt-sub, claim_name: sub }, { header_name: x-jwt-n, claim_name: obj.n },
                                    { header_name: x-jwt-admin, claim_name: admin }, { header_name: x-jwt-groups, claim_name: groups } ]
                """));
        String token = mint(claims().claim("obj", Map.of("n", 7)).claim("admin", true)
                .claim("groups", List.of("a", "b")).build());
        assertThat(withToken("/", token).statusCode()).isEqualTo(200);
        var seen = up.requests().getLast();
        assertThat(seen.header("authorization")).as("forward: false").isNull();
        assertThat(seen.header("x-jwt-payload")).isEqualTo(token.split("\\.")[1]);
        assertThat(new String(Base64.getUrlDecoder().decode(seen.header("x-jwt-payload")), StandardCharsets.UTF_8))
                .contains("\"sub\":\"" + ISSUER + "\"");
        assertThat(seen.header("x-jwt-sub")).isEqualTo(ISSUER);
        assertThat(seen.header("x-jwt-n")).isEqualTo("7");
        assertThat(seen.header("x-jwt-admin")).isEqualTo("true");
        assertThat(seen.header("x-jwt-groups")).as("lists are not copied").isNull();
        proxy.close();

        start(jwtFilter("forward: true\n"));
        assertThat(withToken("/", token).statusCode()).isEqualTo(200);
        assertThat(up.requests().getLast().header("authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void rbacMatchesTheVerifiedPayloadAsIstioGeneratesRequestPrincipalsAndClaims() throws Exception {
        // Istio: requestPrincipals ["testing@secure.istio.io/testing@secure.istio.io"] and
        // when request.auth.claims[groups] in ["group1"].
        start(jwtFilter("") + rbacFilter("""
                rules:
                  action: ALLOW
                  policies:
                    ns[foo]-policy[require-jwt]-rule[0]:
                      permissions: [ { and_rules: { rules: [ { or_rules: { rules: [ { any: true } ] } } ] } } ]
                      principals:
                      - and_ids:
                          ids:
                          - or_ids:
                              ids:
                              - and_ids:
                                  ids:
                                  - metadata: { filter: envoy.filters.http.jwt_authn, path: [ { key: payload }, { key: iss } ],
                                                value: { string_match: { exact: testing@secure.istio.io } } }
                                  - metadata: { filter: envoy.filters.http.jwt_authn, path: [ { key: payload }, { key: sub } ],
                                                value: { string_match: { exact: testing@secure.istio.io } } }
                          - or_ids:
                              ids:
                              - metadata: { filter: envoy.filters.http.jwt_authn, path: [ { key: payload }, { key: groups } ],
                                            value: { or_match: { value_matchers: [ { list_match: { one_of: { string_match: { exact: group1 } } } },
                                                                                   { string_match: { exact: group1 } } ] } } }
                """));
        assertThat(withToken("/", sample("groups-scope.jwt")).statusCode()).isEqualTo(200);
        HttpResponse<String> noGroups = withToken("/", sample("demo.jwt"));
        assertThat(noGroups.statusCode()).as("valid token without the claim").isEqualTo(403);
        assertThat(noGroups.body()).isEqualTo("RBAC: access denied");
        assertThat(proxy.get("/").statusCode()).as("no token, no principal").isEqualTo(403);
        assertThat(withToken("/", mint(claims().subject("someone").claim("groups", List.of("group1")).build()))
                .statusCode()).as("another subject").isEqualTo(403);
        assertThat(withToken("/", mint(claims().claim("groups", "group1").build())).statusCode())
                .as("a string claim").isEqualTo(200);
    }

    @Test
    void aDenyOnNotRequestPrincipalsRequiresAToken() throws Exception {
        start(jwtFilter("") + rbacFilter("""
                rules:
                  action: DENY
                  policies:
                    ns[foo]-policy[deny-anonymous]-rule[0]:
                      permissions: [ { any: true } ]
                      principals:
                      - not_id:
                          or_ids:
                            ids:
                            - metadata: { filter: envoy.filters.http.jwt_authn, path: [ { key: payload }, { key: iss } ],
                                          value: { string_match: { safe_regex: { regex: ".+" } } } }
                """));
        assertThat(withToken("/", sample("demo.jwt")).statusCode()).isEqualTo(200);
        assertThat(proxy.get("/").statusCode()).isEqualTo(403);
        assertThat(withToken("/", "x.y.z").statusCode()).isEqualTo(401);
    }

    @Test
    void corsPreflightsAndUnmatchedPathsAreNotChecked() {
        start(jwtFilter(""));
        HttpResponse<String> preflight = proxy.send(java.net.http.HttpRequest.newBuilder(proxy.uri("/"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("origin", "http://example.com").header("access-control-request-method", "GET")
                .header("authorization", "Bearer garbage.garbage.garbage").build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(proxy.server().stats().value("http.ingress_http.jwt_authn.cors_preflight_bypassed")).isEqualTo(1);
    }

    @Test
    void requiresAllAndARequiredProviderRejectAMissingToken() throws Exception {
        String token = mint(claims().audience("bookinfo").build());
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), jwtAuthn(Map.of("strict", provider("audiences: [ bookinfo ]\n"),
                "in-header", provider("from_headers: [ { name: x-jwt, value_prefix: 'Token ' } ]\n")), """
                - match: { prefix: /both }
                  requires: { requires_all: { requirements: [ { provider_name: strict }, { provider_name: in-header } ] } }
                - match: { prefix: /other-audience }
                  requires: { provider_and_audiences: { provider_name: strict, audiences: [ reviews ] } }
                - match: { prefix: /lenient }
                  requires: { allow_missing_or_failed: {} }
                - match: { prefix: / }
                  requires: { provider_name: strict }
                """), Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
        HttpResponse<String> missing = proxy.get("/");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("Jwt is missing");
        assertThat(missing.headers().firstValue("www-authenticate"))
                .contains("Bearer realm=\"http://127.0.0.1:" + proxy.port() + "/\"");
        assertThat(withToken("/", token).statusCode()).isEqualTo(200);
        HttpResponse<String> wrongAudience = withToken("/", sample("demo.jwt"));
        assertThat(wrongAudience.statusCode()).isEqualTo(403);
        assertThat(wrongAudience.body()).isEqualTo("Audiences in Jwt are not allowed");
        assertThat(withToken("/other-audience", token).statusCode()).isEqualTo(403);
        assertThat(withToken("/both", token).statusCode()).as("x-jwt missing").isEqualTo(401);
        assertThat(proxy.get("/both", "authorization", "Bearer " + token, "x-jwt", "Token " + token).statusCode())
                .isEqualTo(200);
        assertThat(proxy.get("/both", "authorization", "Bearer " + token, "x-jwt", "Bearer " + token).statusCode())
                .as("the prefix must be exact").isEqualTo(401);
        assertThat(withToken("/lenient", "garbage").statusCode()).isEqualTo(200);
    }

    @Test
    void remoteKeysAreFetchedThroughTheirClusterAndCached() throws Exception {
        jwksServer = FakeHttpUpstream.start("jwks").respondWith(r -> r.uri().equals("/keys/jwks.json")
                ? FakeResponse.of(200, sample("jwks.json")) : FakeResponse.of(404, "no"));
        String remote = """
                issuer: testing@secure.istio.io
                remote_jwks:
                  http_uri: { uri: "http://jwks.example.com/keys/jwks.json", cluster: jwks, timeout: 2s }
                  cache_duration: 300s
                payload_in_metadata: payload
                """;
        start(jwtAuthn(Map.of("origins-0", remote), """
                - match: { prefix: / }
                  requires: { requires_any: { requirements: [ { provider_name: origins-0 }, { allow_missing: {} } ] } }
                """), Bootstraps.staticCluster("jwks", "ROUND_ROBIN", "", jwksServer.port()));
        assertThat(proxy.get("/").statusCode()).as("no token, no fetch").isEqualTo(200);
        assertThat(jwksServer.requestCount()).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(withToken("/", sample("demo.jwt")).statusCode()).isEqualTo(200);
        }
        assertThat(withToken("/", "x.y.z").statusCode()).isEqualTo(401);
        assertThat(jwksServer.requestCount()).as("fetched once, then cached").isEqualTo(1);
        assertThat(jwksServer.requests().getFirst().header("host")).isEqualTo("jwks.example.com");
    }

    @Test
    void aFailedRemoteFetchRejectsTokensAndIsRetried() throws Exception {
        jwksServer = FakeHttpUpstream.start("jwks");
        jwksServer.respondWith(r -> jwksServer.requestCount() == 1 ? FakeResponse.of(503, "down")
                : FakeResponse.of(200, sample("jwks.json")));
        String remote = """
                issuer: testing@secure.istio.io
                remote_jwks: { http_uri: { uri: "http://127.0.0.1/jwks", cluster: jwks, timeout: 2s } }
                """;
        start(jwtAuthn(Map.of("p", remote), "- { match: { prefix: / }, requires: { provider_name: p } }\n"),
                Bootstraps.staticCluster("jwks", "ROUND_ROBIN", "", jwksServer.port()));
        HttpResponse<String> failed = withToken("/", sample("demo.jwt"));
        assertThat(failed.statusCode()).isEqualTo(401);
        assertThat(failed.body()).isEqualTo("Jwks remote fetch is failed");
        assertThat(withToken("/", sample("demo.jwt")).statusCode()).isEqualTo(200);
        assertThat(jwksServer.requestCount()).isEqualTo(2);
    }

    @Test
    void configMistakesAreRejectedWithTheirPlace() {
        assertThatThrownBy(() -> start(jwtAuthn(Map.of("p", "issuer: x\nlocal_jwks: { inline_string: not-json }\n"),
                "[]"))).hasMessageContaining("provider 'p' local_jwks is not a JWK set");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
