package dev.weft.controlplane.authn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import dev.weft.testing.upstream.ResettingServer;
import dev.weft.xds.authn.JwksResolver;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control plane's JWKS fetching against a real local HTTP server: cache, refresh, fail closed, OIDC. */
class HttpJwksResolverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String KEYS_A = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\",\"e\":\"AQAB\",\"n\":\"AQAB\"}]}";
    private static final String KEYS_B = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"b\",\"e\":\"AQAB\",\"n\":\"AQAB\"}]}";

    private final AtomicReference<FakeResponse> answer = new AtomicReference<>(FakeResponse.of(200, KEYS_A));
    private final FakeHttpUpstream server = FakeHttpUpstream.start("jwks").respondWith(r -> switch (r.uri()) {
        case "/.well-known/openid-configuration" -> FakeResponse.of(200,
                "{\"issuer\":\"x\",\"jwks_uri\":\"" + base() + "/keys\"}");
        case "/keys" -> answer.get();
        default -> FakeResponse.of(404, "no");
    });
    private final HttpJwksResolver resolver = new HttpJwksResolver(HttpClient.newHttpClient());

    @AfterEach
    void stop() {
        server.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void keysAreFetchedOnceAndRefreshedWhenTheyChange() {
        assertThat(resolver.jwks("issuer", base() + "/keys", TIMEOUT)).isEqualTo(KEYS_A);
        assertThat(resolver.jwks("issuer", base() + "/keys", TIMEOUT)).isEqualTo(KEYS_A);
        assertThat(server.requestCount()).isEqualTo(1);

        assertThat(resolver.refresh()).as("same keys").isFalse();
        answer.set(FakeResponse.of(200, KEYS_B));
        assertThat(resolver.refresh()).isTrue();
        assertThat(resolver.jwks("issuer", base() + "/keys", TIMEOUT)).isEqualTo(KEYS_B);

        answer.set(FakeResponse.of(503, "down"));
        assertThat(resolver.refresh()).as("a failed refresh keeps the last keys").isFalse();
        assertThat(resolver.jwks("issuer", base() + "/keys", TIMEOUT)).isEqualTo(KEYS_B);
    }

    @Test
    void keysThatCannotBeFetchedFailClosedUntilARefreshGetsThem() {
        answer.set(FakeResponse.of(200, "<html>not keys</html>"));
        String uri = base() + "/keys";
        assertThat(resolver.jwks("issuer", uri, TIMEOUT)).isEqualTo(JwksResolver.failClosed(uri));
        answer.set(FakeResponse.of(200, KEYS_A));
        assertThat(resolver.refresh()).isTrue();
        assertThat(resolver.jwks("issuer", uri, TIMEOUT)).isEqualTo(KEYS_A);

        String nobody = "http://127.0.0.1:" + ResettingServer.closedPort() + "/keys";
        assertThat(resolver.jwks("issuer", nobody, Duration.ofSeconds(2))).isEqualTo(JwksResolver.failClosed(nobody));
    }

    @Test
    void withoutAUriTheIssuersOpenIdConfigurationNamesTheKeys() {
        assertThat(resolver.jwks(base(), "", TIMEOUT)).isEqualTo(KEYS_A);
        assertThat(server.requests()).extracting(r -> r.uri())
                .containsExactly("/.well-known/openid-configuration", "/keys");
    }
}
