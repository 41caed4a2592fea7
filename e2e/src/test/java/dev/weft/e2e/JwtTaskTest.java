package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.weft.testing.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's end-user authentication and "Authorization with JWT" tasks on the httpbin mesh, the calls made by the
 * meshed curl workload with {@code Authorization: Bearer TOKEN} (as {@code kubectl exec curl -- curl -H} does):
 * a RequestAuthentication whose {@code jwksUri} is a key server this test runs on loopback (weftd fetches it and
 * inlines the keys) rejects an invalid token with 401 but lets a request without a token through; an
 * AuthorizationPolicy then requires the request principal, then a {@code groups} claim. Hostile tokens
 * ({@code alg: none}, malformed, another key, expired) are rejected, counted by the sidecar and never reach the
 * app; inline {@code jwks} work too; a key set that cannot be fetched fails closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JwtTaskTest {
  private static final Duration TAKES_EFFECT = Duration.ofSeconds(20);
  private static final String ISSUER = "testing@secure.istio.io";
  /** The key id of Istio's sample key (jwks.json, key.pem). */
  private static final String KID = "DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ";
  private static final String HTTPBIN = "http://httpbin:8000/headers";

  @TempDir static Path stateDir;
  @TempDir static Path work;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private HttpServer jwksServer;
  private RunningMesh mesh;
  private MeshClient curl;
  private String jwksJson;
  private PrivateKey sampleKey;

  @BeforeAll
  void up() throws IOException {
    jwksJson = Files.readString(Weft.ISTIO_JWT_SAMPLES.resolve("jwks.json"));
    sampleKey = TestPki.privateKey(Files.readString(Weft.ISTIO_JWT_SAMPLES.resolve("key.pem")));
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwksServer.createContext("/jwks.json", exchange -> {
      jwksFetches.incrementAndGet();
      byte[] body = jwksJson.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwksServer.start();
    mesh = RunningMesh.up(Weft.HTTPBIN_MESH, stateDir, 24);
    curl = new MeshClient(mesh.app("curl"));
  }

  @AfterAll
  void down() {
    mesh.down();
    jwksServer.stop(0);
  }

  private Path apply(String name, String yaml) throws IOException {
    Path file = Files.writeString(work.resolve(name + ".yaml"), yaml);
    mesh.apply(file);
    return file;
  }

  /** The RequestAuthentication of Istio's task for httpbin, its keys at {@code jwksUri}. */
  private void requestAuthentication(String jwksUri) throws IOException {
    requestAuthentication("jwt-example", ISSUER, "jwksUri: \"" + jwksUri + "\"");
  }

  /** A RequestAuthentication for httpbin with one rule: the issuer and where its keys are. */
  private void requestAuthentication(String name, String issuer, String keys) throws IOException {
    requestAuthentication(name, "default", "app: httpbin", issuer, keys);
  }

  /** A RequestAuthentication in {@code namespace} for the workloads with {@code label}, with one rule. */
  private void requestAuthentication(String name, String namespace, String label, String issuer, String keys)
      throws IOException {
    apply(namespace + "-" + name, """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {matchLabels: {%s}}
          jwtRules:
          - issuer: "%s"
            %s
        """.formatted(name, namespace, label, issuer, keys));
  }

  private String jwksUrl(String path) {
    return "http://127.0.0.1:" + jwksServer.getAddress().getPort() + path;
  }

  private static String sample(String name) {
    try {
      return Files.readString(Weft.ISTIO_JWT_SAMPLES.resolve(name)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MeshClient.Fetched call(String token) {
    return token == null ? curl.fetch(HTTPBIN) : curl.fetch(HTTPBIN, "Authorization: Bearer " + token);
  }

  private int status(String token) {
    return call(token).status();
  }

  private static Map<String, Object> claims(String issuer, Instant expiry) {
    return Map.of("iss", issuer, "sub", issuer, "iat", expiry.minus(Duration.ofHours(2)).getEpochSecond(),
        "exp", expiry.getEpochSecond());
  }

  @Test
  @Order(1)
  void aRequestAuthenticationRejectsAnInvalidTokenButNotAMissingOne() throws IOException {
    requestAuthentication(jwksUrl("/jwks.json"));

    await().atMost(TAKES_EFFECT).until(() -> status("deadbeef") == 401);
    assertThat(jwksFetches.get()).as("weftd fetched the key set").isPositive();
    assertThat(status(null)).isEqualTo(200);
    MeshClient.Fetched valid = call(sample("demo.jwt"));
    assertThat(valid.status()).as(valid.body()).isEqualTo(200);
    assertThat(valid.body()).as("the token is not forwarded to the app").doesNotContain("Bearer");
  }

  @Test
  @Order(2)
  void hostileTokensAreRejectedCountedAndNeverServed() throws Exception {
    Instant now = Instant.now();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PrivateKey otherKey = rsa.generateKeyPair().getPrivate();
    Map<String, String> hostile = Map.of(
        "alg-none", Jwts.unsigned(claims(ISSUER, now.plus(Duration.ofHours(1)))),
        "malformed", "not.a-jwt",
        "other-key", Jwts.signed(otherKey, KID, claims(ISSUER, now.plus(Duration.ofHours(1)))),
        "expired", Jwts.signed(sampleKey, KID, claims(ISSUER, now.minus(Duration.ofMinutes(5)))));
    String admin = mesh.sidecarAdmin("httpbin");
    long deniedBefore = ProxyStats.total(admin, "jwt_authn.denied");

    hostile.forEach((name, token) -> {
      MeshClient.Fetched fetched = curl.fetch(HTTPBIN + "?case=" + name, "Authorization: Bearer " + token);
      assertThat(fetched.status()).as(name + ": " + fetched.body()).isEqualTo(401);
      assertThat(fetched.body()).as(name).startsWith("Jwt");
    });
    MeshClient.Fetched inQuery = curl.fetch(HTTPBIN + "?case=in-query&access_token=" + hostile.get("other-key"));
    assertThat(inQuery.status()).as("Istio also reads access_token: " + inQuery.body()).isEqualTo(401);
    MeshClient.Fetched minted = curl.fetch(HTTPBIN + "?case=minted",
        "Authorization: Bearer " + Jwts.signed(sampleKey, KID, claims(ISSUER, now.plus(Duration.ofHours(1)))));
    assertThat(minted.status()).as("a token minted with the sample key: " + minted.body()).isEqualTo(200);

    assertThat(ProxyStats.total(admin, "jwt_authn.denied")).isGreaterThanOrEqualTo(deniedBefore + hostile.size() + 1);
    String appLog = Files.readString(mesh.log("httpbin"));
    assertThat(appLog).contains("/headers?case=minted");
    for (String name : List.of("alg-none", "malformed", "other-key", "expired", "in-query")) {
      assertThat(appLog).as(name + " reached the app").doesNotContain("/headers?case=" + name + " ");
    }
  }

  @Test
  @Order(3)
  void requiringTheRequestPrincipalDeniesARequestWithoutToken() throws IOException {
    apply("require-jwt", requireJwt(""));

    await().atMost(TAKES_EFFECT).until(() -> status(null) == 403);
    assertThat(call(null).body()).isEqualTo("RBAC: access denied");
    assertThat(status(sample("demo.jwt"))).isEqualTo(200);
  }

  @Test
  @Order(4)
  void requiringAGroupsClaimAdmitsOnlyTheGroupsToken() throws IOException {
    Path policy = apply("require-jwt", requireJwt("""
            when:
            - key: request.auth.claims[groups]
              values: ["group1"]
        """));

    await().atMost(TAKES_EFFECT).until(() -> status(sample("demo.jwt")) == 403);
    assertThat(status(sample("groups-scope.jwt"))).isEqualTo(200);
    assertThat(status(null)).isEqualTo(403);
    mesh.delete(policy);
    await().atMost(TAKES_EFFECT).until(() -> status(null) == 200);
  }

  private static String requireJwt(String when) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: require-jwt, namespace: default}
        spec:
          selector: {matchLabels: {app: httpbin}}
          action: ALLOW
          rules:
          - from:
            - source: {requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]}
        """ + when;
  }

  @Test
  @Order(5)
  void inlineKeysVerifyTokensOfTheirIssuer() throws IOException {
    String issuer = "inline@weft.test";
    String token = Jwts.signed(sampleKey, KID, claims(issuer, Instant.now().plus(Duration.ofHours(1))));
    assertThat(status(token)).as("no rule knows the issuer yet").isEqualTo(401);

    requestAuthentication("jwt-inline", issuer, "jwks: '" + jwksJson.strip() + "'");

    await().atMost(TAKES_EFFECT).until(() -> status(token) == 200);
    assertThat(status(sample("demo.jwt"))).isEqualTo(200);
  }

  @Test
  @Order(6)
  void aKeySetThatCannotBeFetchedFailsClosed() throws IOException {
    requestAuthentication(jwksUrl("/missing.json"));

    await().atMost(TAKES_EFFECT).until(() -> status(sample("demo.jwt")) == 401);
    assertThat(status(sample("groups-scope.jwt"))).isEqualTo(401);
    assertThat(status(null)).isEqualTo(200);
  }

  @Test
  @Order(7)
  void theIngressGatewayRequiresAValidTokenWhereAPolicySaysSo() throws IOException {
    requestAuthentication(jwksUrl("/jwks.json"));
    requestAuthentication("jwt-example", "istio-system", "istio: ingressgateway", ISSUER,
        "jwksUri: \"" + jwksUrl("/jwks.json") + "\"");
    String headers = mesh.ingress() + "headers";
    Map<String, String> demo = Map.of("Authorization", "Bearer " + sample("demo.jwt"));

    await().atMost(TAKES_EFFECT).until(() -> Http.get(headers, Map.of("Authorization", "Bearer deadbeef")).status()
        == 401);
    assertThat(Http.get(headers).status()).isEqualTo(200);
    assertThat(Http.get(headers, demo).status()).isEqualTo(200);

    apply("frontend-ingress", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: frontend-ingress, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: DENY
          rules:
          - from: [{source: {notRequestPrincipals: ["*"]}}]
            to: [{operation: {paths: ["/headers"]}}]
        """);

    await().atMost(TAKES_EFFECT).until(() -> Http.get(headers).status() == 403);
    assertThat(Http.get(headers, demo).status()).isEqualTo(200);
    assertThat(Http.get(mesh.ingress() + "ip").status()).as("another path needs no token").isEqualTo(200);
  }
}
