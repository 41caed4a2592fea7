package dev.weft.proxy.filter.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Every denial names its cause": an RBAC denial's access log line names the AuthorizationPolicy rule that denied
 * it (Istio's policy ids, {@code ns[<ns>]-policy[<name>]-rule[<i>]}) or {@code [none]} when no ALLOW rule matched;
 * and, only once the admin sets runtime key {@code weft.debug.denial_header}, the 403 itself says so in
 * {@code x-weft-denied-by}. The rule that allowed a request is Envoy's dynamic metadata
 * {@code envoy.filters.http.rbac:enforced_effective_policy_id}, which an access log format can print.
 */
class RbacDenialDetailsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    private void start(String rules) {
        String hcm = "          access_log: [ { name: envoy.access_loggers.file, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: \""
                + dir.resolve("access.log") + "\", log_format: { text_format_source: { inline_string: "
                + "\"%RESPONSE_CODE% %RESPONSE_CODE_DETAILS% %DYNAMIC_METADATA(envoy.filters.http.rbac:"
                + "enforced_effective_policy_id)%\\n\" } } } } ]\n";
        String filter = Bootstraps.indent("""
                - name: envoy.filters.http.rbac
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                    rules:
                """ + Bootstraps.indent(rules, 6), 10);
        proxy = ProxyHarness.start(Bootstraps.http(hcm, Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), filter, Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
    }

    private List<String> lines(int expected) {
        Path log = dir.resolve("access.log");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(log) && Files.readAllLines(log).size() >= expected);
        try {
            return Files.readAllLines(log);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort()
                + path));
        return proxy.client().send(method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()).build()
                : b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDenyRuleIsNamedInTheLogAndInTheResponseOnlyWhenTheRuntimeAsks() throws Exception {
        start("""
                action: DENY
                policies:
                  ns[foo]-policy[deny-get]-rule[0]:
                    permissions: [ { header: { name: ":method", string_match: { exact: GET } } } ]
                    principals: [ { any: true } ]
                """);
        String details = "rbac_access_denied_matched_policy[ns[foo]-policy[deny-get]-rule[0]]";

        HttpResponse<String> before = proxy.get("/anything");
        assertThat(before.statusCode()).isEqualTo(403);
        assertThat(before.headers().firstValue("x-weft-denied-by")).as("off unless asked").isEmpty();
        assertThat(lines(1)).containsExactly("403 " + details + " ns[foo]-policy[deny-get]-rule[0]");

        assertThat(admin("GET", "/runtime_modify?weft.debug.denial_header=true").statusCode()).isEqualTo(405);
        assertThat(admin("POST", "/runtime_modify?weft.debug.denial_header=true").body()).isEqualTo("OK\n");
        JsonNode runtime = JSON.readTree(admin("GET", "/runtime").body());
        assertThat(runtime.get("layers").get(0).asText()).isEqualTo("admin");
        assertThat(runtime.get("entries").get("weft.debug.denial_header").get("final_value").asText())
                .isEqualTo("true");

        HttpResponse<String> after = proxy.get("/anything");
        assertThat(after.statusCode()).isEqualTo(403);
        assertThat(after.body()).isEqualTo("RBAC: access denied");
        assertThat(after.headers().firstValue("x-weft-denied-by")).hasValue(details);
        HttpResponse<String> allowed = proxy.send(HttpRequest.newBuilder(proxy.uri("/ok"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("x-weft-denied-by")).as("only denials").isEmpty();

        admin("POST", "/runtime_modify?weft.debug.denial_header=");
        assertThat(proxy.get("/anything").headers().firstValue("x-weft-denied-by")).as("removed again").isEmpty();
        assertThat(JSON.readTree(admin("GET", "/runtime").body()).get("entries").size()).isZero();
    }

    @Test
    void theAllowPolicyThatLetARequestThroughIsLoggedAndNoneWhenNothingMatched() throws Exception {
        start("""
                action: ALLOW
                policies:
                  ns[foo]-policy[allow-post]-rule[0]:
                    permissions: [ { header: { name: ":method", string_match: { exact: POST } } } ]
                    principals: [ { any: true } ]
                """);
        admin("POST", "/runtime_modify?weft.debug.denial_header=true");

        HttpResponse<String> denied = proxy.get("/x");

        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("x-weft-denied-by")).hasValue("rbac_access_denied_matched_policy[none]");
        assertThat(lines(1)).containsExactly("403 rbac_access_denied_matched_policy[none] -");

        HttpResponse<String> allowed = proxy.send(HttpRequest.newBuilder(proxy.uri("/ok"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(lines(2).get(1)).isEqualTo("200 via_upstream ns[foo]-policy[allow-post]-rule[0]");
    }
}
