package dev.weft.proxy.filter.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.RecordedRequest;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's ext_authz HTTP filter against real authorization servers on loopback (Istio's samples/extauthz
 * semantics): an HTTP one (a fake upstream answering as the sample) and a gRPC one (grpc-java), allow, deny, the
 * headers each way, the body, timeouts and failures, and Istio's CUSTOM action as Istio emits it.
 */
class ExtAuthzTest {

    private static final String ROUTES = """
            - match: { prefix: /open }
              route: { cluster: up }
              typed_per_filter_config:
                envoy.filters.http.ext_authz:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute
                  disabled: true
            - match: { prefix: / }
              route: { cluster: up }
            """;

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up").respondWith(FakeHttpUpstream::echo);
    private final FakeHttpUpstream authz = FakeHttpUpstream.start("authz").respondWith(SampleAuthz::http);
    private SampleGrpcAuthzServer grpc;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (grpc != null) {
            grpc.close();
        }
        up.close();
        authz.close();
    }

    private void start(String filters, int authzPort) {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost(ROUTES), Bootstraps.indent(filters, 10),
                Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())
                        + Bootstraps.staticCluster("authz", "ROUND_ROBIN", "", authzPort)));
    }

    private static String extAuthz(String config) {
        return """
                - name: envoy.filters.http.ext_authz
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz
                    transport_api_version: V3
                """ + Bootstraps.indent(config, 4);
    }

    private static final String HTTP_SERVICE = """
            http_service:
              server_uri: { uri: "http://authz", cluster: authz, timeout: 0.5s }
              path_prefix: /check
              authorization_request:
                allowed_headers: { patterns: [ { exact: x-ext-authz } ] }
                headers_to_add: [ { key: x-added, value: by-proxy } ]
              authorization_response:
                allowed_upstream_headers: { patterns: [ { exact: x-ext-authz-check-result } ] }
                allowed_client_headers: { patterns: [ { exact: x-ext-authz-check-result } ] }
                allowed_client_headers_on_success: { patterns: [ { exact: x-ext-authz-check-result } ] }
            """;

    private long stat(String name) {
        return proxy.server().stats().value("http.ingress_http.ext_authz." + name);
    }

    private static RecordedRequest echoed(FakeHttpUpstream server) {
        return server.requests().getLast();
    }

    @Test
    void anHttpServiceAllowsWithItsHeadersAndDeniesWithItsResponse() {
        start(extAuthz(HTTP_SERVICE), authz.port());
        HttpResponse<String> allowed = proxy.get("/api?q=1", "x-ext-authz", "allow", "x-other", "private",
                "authorization", "Bearer t");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("x-ext-authz-check-result")).hasValue("allowed");
        assertThat(echoed(up).header("x-ext-authz-check-result")).isEqualTo("allowed");
        RecordedRequest check = echoed(authz);
        assertThat(check.method()).isEqualTo("GET");
        assertThat(check.uri()).isEqualTo("/check/api?q=1");
        assertThat(check.header("x-ext-authz")).isEqualTo("allow");
        assertThat(check.header("x-added")).isEqualTo("by-proxy");
        assertThat(check.header("authorization")).as("always sent").isEqualTo("Bearer t");
        assertThat(check.header("x-other")).as("not in allowed_headers").isNull();
        assertThat(check.header("content-length")).isEqualTo("0");

        HttpResponse<String> denied = proxy.get("/api", "x-ext-authz", "deny");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo(SampleAuthz.DENIED_BODY);
        assertThat(denied.headers().firstValue("x-ext-authz-check-result")).hasValue("denied");
        assertThat(denied.headers().firstValue("x-internal")).as("not in allowed_client_headers").isEmpty();
        assertThat(up.requestCount()).isEqualTo(1);
        assertThat(stat("ok")).isEqualTo(1);
        assertThat(stat("denied")).isEqualTo(1);
    }

    @Test
    void withoutAllowedClientHeadersADenialCarriesAllTheServicesHeaders() {
        start(extAuthz("""
                http_service:
                  server_uri: { uri: "http://authz", cluster: authz, timeout: 0.5s }
                """), authz.port());
        HttpResponse<String> denied = proxy.get("/api", "x-ext-authz", "allow");
        assertThat(denied.statusCode()).as("x-ext-authz is not sent without allowed_headers").isEqualTo(403);
        assertThat(denied.headers().firstValue("x-internal")).hasValue("secret");
        assertThat(denied.headers().firstValue("set-cookie")).hasValue("a=b");
        assertThat(echoed(authz).uri()).isEqualTo("/api");
    }

    @Test
    void aRouteCanTurnExtAuthzOff() {
        start(extAuthz(HTTP_SERVICE), authz.port());
        assertThat(proxy.get("/open").statusCode()).isEqualTo(200);
        assertThat(authz.requestCount()).isZero();
    }

    @Test
    void withTheDenialHeaderOnDenialsAndErrorsNameTheirCause() {
        start(extAuthz(HTTP_SERVICE), authz.port());
        assertThat(proxy.get("/api", "x-ext-authz", "deny").headers().firstValue("x-weft-denied-by")).isEmpty();

        proxy.server().runtime().set("weft.debug.denial_header", "true");

        HttpResponse<String> denied = proxy.get("/api", "x-ext-authz", "deny");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("x-weft-denied-by")).hasValue("ext_authz_denied");
        HttpResponse<String> error = proxy.get("/api", "x-ext-authz", "broken");
        assertThat(error.statusCode()).isEqualTo(403);
        assertThat(error.headers().firstValue("x-weft-denied-by")).hasValue("ext_authz_error");
        assertThat(proxy.get("/api", "x-ext-authz", "allow").headers().firstValue("x-weft-denied-by")).isEmpty();
    }

    @Test
    void aTimeoutOrAServerErrorGetsStatusOnError() {
        start(extAuthz(HTTP_SERVICE.replace("0.5s", "0.2s") + "status_on_error: { code: ServiceUnavailable }"),
                authz.port());
        assertThat(proxy.get("/api", "x-ext-authz", "slow").statusCode()).isEqualTo(503);
        assertThat(proxy.get("/api", "x-ext-authz", "broken").statusCode()).isEqualTo(503);
        assertThat(up.requestCount()).isZero();
        assertThat(stat("error")).isEqualTo(2);
    }

    @Test
    void failureModeAllowLetsTheRequestThroughWhenTheServiceIsDown() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start(extAuthz(HTTP_SERVICE + "failure_mode_allow: true"), closedPort);
        assertThat(proxy.get("/api").statusCode()).isEqualTo(200);
        assertThat(stat("failure_mode_allowed")).isEqualTo(1);
        proxy.close();
        start(extAuthz(HTTP_SERVICE), closedPort);
        assertThat(proxy.get("/api").statusCode()).as("status_on_error defaults to 403").isEqualTo(403);
    }

    @Test
    void theServiceSeesTheBodyUpToItsLimit() {
        start(extAuthz(HTTP_SERVICE + "with_request_body: { max_request_bytes: 4, allow_partial_message: true }"),
                authz.port());
        HttpResponse<String> r = proxy.send(HttpRequest.newBuilder(proxy.uri("/upload")).header("x-ext-authz", "allow")
                .POST(HttpRequest.BodyPublishers.ofString("hello world")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(echoed(authz).bodyText()).isEqualTo("hell");
        assertThat(echoed(authz).header("content-length")).isEqualTo("4");
        assertThat(echoed(up).bodyText()).as("the upstream still gets the whole body").endsWith("hello world");
        proxy.close();
        start(extAuthz(HTTP_SERVICE + "with_request_body: { max_request_bytes: 4 }"), authz.port());
        HttpResponse<String> tooLarge = proxy.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofString("hello world")).build());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
    }

    @Test
    void notEnabledItDeniesOnlyWithDenyAtDisable() {
        start(extAuthz(HTTP_SERVICE + """
                filter_enabled: { default_value: { numerator: 0 } }
                deny_at_disable: { default_value: true }
                """), authz.port());
        assertThat(proxy.get("/api", "x-ext-authz", "allow").statusCode()).isEqualTo(403);
        assertThat(authz.requestCount()).isZero();
        assertThat(stat("disabled")).isEqualTo(1);
    }

    private static final String GRPC_SERVICE = """
            grpc_service:
              envoy_grpc: { cluster_name: authz, authority: authz.local }
              timeout: 5s
            """;

    @Test
    void aGrpcServiceAllowsWithItsHeadersAndDeniesWithItsResponse() {
        grpc = new SampleGrpcAuthzServer();
        start(extAuthz(GRPC_SERVICE + "with_request_body: { max_request_bytes: 100 }"), grpc.port());
        HttpResponse<String> allowed = proxy.send(HttpRequest.newBuilder(proxy.uri("/api?x=1"))
                .header("x-ext-authz", "allow").POST(HttpRequest.BodyPublishers.ofString("payload")).build());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("x-authz-said")).hasValue("ok");
        assertThat(echoed(up).header("x-ext-authz-check-result")).isEqualTo("allowed");
        assertThat(echoed(up).header("x-ext-authz")).as("removed by the service").isNull();
        AttributeContext attributes = grpc.checks().getFirst().getAttributes();
        AttributeContext.HttpRequest http = attributes.getRequest().getHttp();
        assertThat(http.getMethod()).isEqualTo("POST");
        assertThat(http.getPath()).isEqualTo("/api?x=1");
        assertThat(http.getBody()).isEqualTo("payload");
        assertThat(http.getHeadersMap()).containsEntry("x-ext-authz", "allow").containsKey(":authority");
        assertThat(attributes.getSource().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
        assertThat(attributes.getDestination().getAddress().getSocketAddress().getPortValue())
                .isEqualTo(proxy.port());

        HttpResponse<String> denied = proxy.get("/api", "x-ext-authz", "deny");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo(SampleAuthz.DENIED_BODY);
        assertThat(denied.headers().firstValue("x-ext-authz-check-result")).hasValue("denied");
        assertThat(up.requestCount()).isEqualTo(1);
    }

    @Test
    void aGrpcServiceThatDoesNotAnswerInTimeIsAnError() {
        grpc = new SampleGrpcAuthzServer();
        start(extAuthz(GRPC_SERVICE.replace("5s", "0.3s") + "status_on_error: { code: ServiceUnavailable }"),
                grpc.port());
        assertThat(proxy.get("/api", "x-ext-authz", "hang").statusCode()).isEqualTo(503);
        assertThat(stat("error")).isEqualTo(1);
        proxy.close();
        start(extAuthz(GRPC_SERVICE.replace("5s", "0.3s") + "failure_mode_allow: true"), grpc.port());
        assertThat(proxy.get("/api", "x-ext-authz", "hang").statusCode()).isEqualTo(200);
    }

    @Test
    void istiosCustomActionAsksTheServiceOnlyForTheRequestsItsPoliciesMatch() throws IOException {
        String cluster = "outbound|9000||my-custom-ext-authz.foo.svc.cluster.local";
        String filters = "- " + Bootstraps.indent(resource("istio-custom-http-provider-out1.yaml"), 2).stripLeading()
                + "- " + Bootstraps.indent(resource("istio-custom-http-provider-out2.yaml"), 2).stripLeading();
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost(ROUTES), Bootstraps.indent(filters, 10),
                Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())
                        + Bootstraps.staticCluster(cluster, "ROUND_ROBIN", "", authz.port())));
        assertThat(proxy.get("/other", "x-ext-authz", "allow").statusCode()).isEqualTo(200);
        assertThat(authz.requestCount()).as("no CUSTOM policy matches /other").isZero();

        HttpResponse<String> denied = proxy.get("/httpbin1", "x-custom-id", "42", "x-ext-authz", "allow");
        assertThat(denied.statusCode()).as("x-ext-authz is not among Istio's allowed headers").isEqualTo(403);
        assertThat(denied.body()).isEqualTo(SampleAuthz.DENIED_BODY);
        assertThat(denied.headers().firstValue("set-cookie")).hasValue("a=b");
        RecordedRequest check = echoed(authz);
        assertThat(check.uri()).isEqualTo("/check/httpbin1");
        assertThat(check.header("x-custom-id")).isEqualTo("42");
        assertThat(check.header("x-header-1")).isEqualTo("value-1");
        assertThat(proxy.get("/httpbin2").statusCode()).isEqualTo(403);
        assertThat(authz.requestCount()).isEqualTo(2);
        assertThat(up.requests()).extracting(RecordedRequest::uri).containsExactly("/other");
        assertThat(proxy.server().stats().value("http.ingress_http.rbac.istio_ext_authz_shadow_denied")).isEqualTo(2);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(ExtAuthzTest.class.getResourceAsStream("/extauthz/" + name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#"))
                    .reduce("", (a, b) -> a + b + "\n");
        }
    }
}
