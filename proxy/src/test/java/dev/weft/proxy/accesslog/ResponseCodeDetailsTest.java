package dev.weft.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envoy's response code details for what the filters answer themselves (jwt_authn, fault, local_ratelimit, the
 * router's timeouts), in the access log; and the denial header, which jwt_authn's denials carry once the runtime
 * asks for it while the fault filter's aborts never do.
 */
class ResponseCodeDetailsTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    private void start() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        String jwks = "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}";
        String filters = Bootstraps.indent("""
                - name: envoy.filters.http.jwt_authn
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication
                    providers:
                      issuer:
                        issuer: https://issuer.example
                        local_jwks: { inline_string: '%s' }
                    rules:
                    - match: { prefix: /jwt }
                      requires: { provider_name: issuer }
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort: { header_abort: {}, percentage: { numerator: 100 } }
                """.formatted(jwks), 10);
        String routes = """
                - match: { prefix: /slow }
                  route: { cluster: up, timeout: 0.2s }
                - match: { prefix: /trying }
                  route: { cluster: up, timeout: 5s, retry_policy: { retry_on: 5xx, num_retries: 0, per_try_timeout: 0.2s } }
                - match: { prefix: / }
                  route: { cluster: up }
                """;
        proxy = ProxyHarness.start(Bootstraps.http("          access_log: " + AccessLogFormatTest.accessLog(
                dir.resolve("access.log"), AccessLogFormatTest.text("%RESPONSE_CODE% %RESPONSE_FLAGS% "
                        + "%RESPONSE_CODE_DETAILS%\n")) + "\n", Bootstraps.anyHost(routes), filters,
                Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
    }

    private HttpResponse<String> runtimeModify(String query) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort()
                + "/runtime_modify?" + query)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void filterRepliesNameTheirCause() throws Exception {
        start();
        up.respondWith(r -> FakeResponse.of(200, "late").withDelay(Duration.ofSeconds(2)));

        assertThat(proxy.get("/jwt").statusCode()).isEqualTo(401);
        assertThat(proxy.get("/jwt", "authorization", "Bearer not.a.token").statusCode()).isEqualTo(401);
        assertThat(proxy.get("/x", "x-envoy-fault-abort-request", "429").statusCode()).isEqualTo(429);
        assertThat(proxy.get("/slow").statusCode()).isEqualTo(504);
        assertThat(proxy.get("/trying").statusCode()).isEqualTo(504);

        assertThat(AccessLogFormatTest.lines(dir.resolve("access.log"), 5)).containsExactly(
                "401 - jwt_authn_access_denied{Jwt_is_missing}",
                "401 - jwt_authn_access_denied{Jwt_is_not_in_the_form_of_Header.Payload.Signature_with_two_dots_and_3_sections}",
                "429 FI fault_filter_abort",
                "504 UT response_timeout",
                "504 UT upstream_per_try_timeout");
    }

    @Test
    void jwtDenialsCarryTheDenialHeaderWhenAskedAndFaultsNever() throws Exception {
        start();
        assertThat(proxy.get("/jwt").headers().firstValue("x-weft-denied-by")).isEmpty();

        assertThat(runtimeModify("weft.debug.denial_header=true").statusCode()).isEqualTo(200);

        HttpResponse<String> denied = proxy.get("/jwt");
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.body()).isEqualTo("Jwt is missing");
        assertThat(denied.headers().firstValue("x-weft-denied-by")).hasValue("jwt_authn_access_denied{Jwt_is_missing}");
        assertThat(denied.headers().firstValue("www-authenticate")).isPresent();
        HttpResponse<String> aborted = proxy.get("/x", "x-envoy-fault-abort-request", "503");
        assertThat(aborted.statusCode()).isEqualTo(503);
        assertThat(aborted.headers().firstValue("x-weft-denied-by")).as("a fault is no denial").isEmpty();
    }
}
