package dev.weft.proxy.accesslog;

import dev.weft.api.config.IstioAccessLogFormats;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import dev.weft.testing.upstream.ResettingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access log formats as Istio configures them (meshConfig {@code accessLogFormat}/{@code accessLogEncoding}, the
 * Telemetry API): Envoy's command operators in text and JSON, compiled at config time, written by a real proxy for
 * real requests; and Envoy's response code details for answers from the upstream and from the proxy itself.
 */
class AccessLogFormatTest {

    static final String ISTIO_TEXT = IstioAccessLogFormats.TEXT;
    static final Map<String, String> ISTIO_JSON = IstioAccessLogFormats.JSON;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.123456789Z");

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    /** An {@code access_log} list with one file logger whose other fields are {@code fields}. */
    static String accessLog(Path file, Map<String, Object> fields) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("@type", "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog");
        config.put("path", file.toString());
        config.putAll(fields);
        try {
            return "[ { name: envoy.access_loggers.file, typed_config: " + JSON.writeValueAsString(config) + " } ]";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> text(String format) {
        return Map.of("log_format", Map.of("text_format_source", Map.of("inline_string", format)));
    }

    private static final String ROUTES = """
            - name: to-up
              match: { prefix: /up }
              route: { cluster: up }
            - match: { prefix: /direct }
              direct_response: { status: 418, body: { inline_string: teapot } }
            - match: { prefix: /missing }
              route: { cluster: nowhere }
            - match: { prefix: /refused }
              route: { cluster: refused }
            """;

    private String bootstrap(Map<String, Object> logFormat) {
        return Bootstraps.http("          access_log: " + accessLog(dir.resolve("access.log"), logFormat) + "\n",
                Bootstraps.anyHost(ROUTES), "",
                Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())
                        + Bootstraps.staticCluster("refused", "ROUND_ROBIN", "", ResettingServer.closedPort()));
    }

    private void start(Map<String, Object> logFormat) {
        proxy = ProxyHarness.start(bootstrap(logFormat), ProxyOptions.defaults().withWorkerThreads(2)
                .withRandomSeed(42).withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private List<String> lines(int expected) throws Exception {
        return lines(dir.resolve("access.log"), expected);
    }

    static List<String> lines(Path log, int expected) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(log) && Files.readAllLines(log).size() >= expected);
        return Files.readAllLines(log);
    }

    @Test
    void istiosDefaultTextFormatNamesEveryFieldOfAProxiedRequest() throws Exception {
        up.respondWith(r -> FakeResponse.of(200, "hello"));
        start(text(ISTIO_TEXT));

        proxy.get("/up/x?q=1", "user-agent", "test-agent", "x-forwarded-for", "10.1.2.3", "x-request-id", "rid-1");

        String line = lines(1).getFirst();
        Pattern p = Pattern.compile("\\[2026-03-04T05:06:07\\.123Z] \"GET /up/x\\?q=1 HTTP/1\\.1\" 200 - via_upstream - "
                + "\"-\" 0 5 \\d+ (\\d+) \"10\\.1\\.2\\.3\" \"test-agent\" \"rid-1\" \"127\\.0\\.0\\.1:" + proxy.port()
                + "\" \"127\\.0\\.0\\.1:" + up.port() + "\" up 127\\.0\\.0\\.1:(\\d+) 127\\.0\\.0\\.1:" + proxy.port()
                + " 127\\.0\\.0\\.1:(\\d+) - to-up");
        Matcher m = p.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(Integer.parseInt(m.group(2))).as("the upstream connection's own port").isNotEqualTo(up.port());
    }

    @Test
    void istiosDefaultJsonFormatIsOneTypedJsonObjectPerLine() throws Exception {
        start(Map.of("log_format", Map.of("json_format", ISTIO_JSON)));

        proxy.get("/up/json", "user-agent", "json-agent");
        proxy.get("/direct");

        List<String> lines = lines(2);
        JsonNode ok = JSON.readTree(lines.get(0));
        assertThat(ok.size()).isEqualTo(ISTIO_JSON.size());
        assertThat(ok.get("response_code").isInt()).isTrue();
        assertThat(ok.get("response_code").asInt()).isEqualTo(200);
        assertThat(ok.get("bytes_received").isNumber()).isTrue();
        assertThat(ok.get("duration").isNumber()).isTrue();
        assertThat(ok.get("start_time").asText()).isEqualTo("2026-03-04T05:06:07.123Z");
        assertThat(ok.get("method").asText()).isEqualTo("GET");
        assertThat(ok.get("path").asText()).isEqualTo("/up/json");
        assertThat(ok.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(ok.get("response_flags").asText()).isEqualTo("-");
        assertThat(ok.get("response_code_details").asText()).isEqualTo("via_upstream");
        assertThat(ok.get("user_agent").asText()).isEqualTo("json-agent");
        assertThat(ok.get("upstream_cluster").asText()).isEqualTo("up");
        assertThat(ok.get("upstream_host").asText()).isEqualTo("127.0.0.1:" + up.port());
        assertThat(ok.get("route_name").asText()).isEqualTo("to-up");
        assertThat(ok.get("downstream_local_address").asText()).isEqualTo("127.0.0.1:" + proxy.port());
        assertThat(ok.get("requested_server_name").isNull()).as("plain text has no SNI").isTrue();
        assertThat(ok.get("x_forwarded_for").isNull()).isTrue();
        assertThat(ok.get("upstream_service_time").isTextual()).as("a header is a string").isTrue();

        JsonNode direct = JSON.readTree(lines.get(1));
        assertThat(direct.get("response_code").asInt()).isEqualTo(418);
        assertThat(direct.get("response_code_details").asText()).isEqualTo("direct_response");
        assertThat(direct.get("upstream_host").isNull()).isTrue();
        assertThat(direct.get("upstream_cluster").isNull()).isTrue();
    }

    @Test
    void theProxysOwnRepliesNameTheirCause() throws Exception {
        start(text("%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\"\n"));

        assertThat(proxy.get("/missing").statusCode()).isEqualTo(503);
        assertThat(proxy.get("/refused").statusCode()).isEqualTo(503);
        assertThat(proxy.get("/direct").statusCode()).isEqualTo(418);
        assertThat(proxy.get("/nothing-routes-here").statusCode()).isEqualTo(404);

        assertThat(lines(4)).containsExactly(
                "503 NC cluster_not_found \"-\"",
                "503 UF upstream_reset_before_response_started{remote_connection_failure} \"-\"",
                "418 - direct_response \"-\"",
                "404 NR route_not_found \"-\"");
    }

    @Test
    void headerOperatorsFallBackAndTruncateAndReadResponsesAndTrailers() throws Exception {
        up.respondWith(r -> FakeResponse.of(200, "body").withHeader("x-answer", "forty-two"));
        start(text("%REQ(X-MISSING?USER-AGENT)% %REQ(USER-AGENT):4% %REQUEST_HEADER(x-absent)% %RESP(X-ANSWER)% "
                + "%RESPONSE_HEADER(x-answer):5% %TRAILER(grpc-status)% %REQ(:SCHEME)% %REQ(:METHOD)%\n"));

        proxy.get("/up", "user-agent", "agent-smith");

        assertThat(lines(1)).containsExactly("agent-smith agen - forty-two forty - http GET");
    }

    @Test
    void startTimeTakesEnvoysStrftimeSubset() throws Exception {
        start(text("%START_TIME(%Y/%m/%d %H:%M:%S %j %s %3f %6f %f %E3S %b %a %T %F %z %%)%\n"));

        proxy.get("/up");

        assertThat(lines(1)).containsExactly("2026/03/04 05:06:07 063 " + NOW.getEpochSecond()
                + " 123 123456 123456789 07.123 Mar Wed 05:06:07 2026-03-04 +0000 %");
    }

    @Test
    void dynamicMetadataIsReadByPathOrAsAStruct() throws Exception {
        String rbac = """
                - name: envoy.filters.http.rbac
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                    rules: { action: ALLOW, policies: { "ns[foo]-policy[all]-rule[0]": { permissions: [ { any: true } ], principals: [ { any: true } ] } } }
                """;
        Map<String, Object> format = Map.of("log_format", Map.of("json_format", Map.of(
                "policy", "%DYNAMIC_METADATA(envoy.filters.http.rbac:enforced_effective_policy_id)%",
                "short", "%DYNAMIC_METADATA(envoy.filters.http.rbac:enforced_effective_policy_id):7%",
                "rbac", "%DYNAMIC_METADATA(envoy.filters.http.rbac)%",
                "absent", "%DYNAMIC_METADATA(envoy.filters.http.jwt_authn:payload)%",
                "nested", Map.of("code", "%RESPONSE_CODE%", "text", "code=%RESPONSE_CODE% via %PROTOCOL%"),
                "constant", 7)));
        proxy = ProxyHarness.start(Bootstraps.http("          access_log: " + accessLog(dir.resolve("access.log"),
                format) + "\n", Bootstraps.anyHost(ROUTES), Bootstraps.indent(rbac, 10),
                Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())
                        + Bootstraps.staticCluster("refused", "ROUND_ROBIN", "", ResettingServer.closedPort())));

        proxy.get("/up");

        JsonNode line = JSON.readTree(lines(1).getFirst());
        assertThat(line.get("policy").asText()).isEqualTo("ns[foo]-policy[all]-rule[0]");
        assertThat(line.get("short").asText()).isEqualTo("ns[foo]");
        assertThat(line.get("rbac").get("enforced_engine_result").asText()).isEqualTo("allowed");
        assertThat(line.get("absent").isNull()).isTrue();
        assertThat(line.get("nested").get("code").asInt()).isEqualTo(200);
        assertThat(line.get("nested").get("text").asText()).isEqualTo("code=200 via HTTP/1.1");
        assertThat(line.get("constant").asInt()).isEqualTo(7);
    }

    @Test
    void omitEmptyValuesDropsMissingValues() throws Exception {
        start(Map.of("log_format", Map.of("omit_empty_values", true, "json_format",
                Map.of("code", "%RESPONSE_CODE%", "sni", "%REQUESTED_SERVER_NAME%", "xff", "%REQ(X-FORWARDED-FOR)%"))));
        proxy.get("/up");
        assertThat(JSON.readTree(lines(1).getFirst()).fieldNames()).toIterable().containsExactly("code");
    }

    @Test
    void theDeprecatedFormatStringAndTheDefaultLineStillWork() throws Exception {
        start(Map.of("format", "%PROTOCOL% %RESPONSE_CODE%\n"));
        proxy.get("/up");
        assertThat(lines(1)).containsExactly("HTTP/1.1 200");
        proxy.close();

        Path other = dir.resolve("default.log");
        proxy = ProxyHarness.start(Bootstraps.http("          access_log: " + accessLog(other, Map.of()) + "\n",
                Bootstraps.anyHost(ROUTES), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
        proxy.get("/up/default", "user-agent", "ua");
        assertThat(lines(other, 1).getFirst()).matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z] "
                + "\"GET /up/default HTTP/1\\.1\" 200 - 0 \\d+ \\d+ \\d+ \"-\" \"ua\" \"[0-9a-f-]{36}\" \"127\\.0\\.0\\.1:"
                + proxy.port() + "\" \"127\\.0\\.0\\.1:" + up.port() + "\"");
    }

    @Test
    void anUnknownOrUnsupportedOperatorIsAConfigErrorNamingIt() {
        for (Map.Entry<String, String> c : Map.of(
                "%RESPONSE_CODE% %NOT_AN_OPERATOR%\n", "%NOT_AN_OPERATOR% is not known",
                "%FILTER_STATE(wasm.upstream_peer)%", "%FILTER_STATE% is not supported",
                "%REQ(:METHOD", "no valid command operator at position 0",
                "%REQ()%", "%REQ% needs a header name",
                "%START_TIME(%Q)%", "%Q is not supported",
                "%PROTOCOL(x)%", "%PROTOCOL% takes no argument").entrySet()) {
            ProxyServer server = ProxyHarness.startServer(bootstrap(text(c.getKey())), ProxyOptions.defaults());
            try {
                assertThat(server.configErrors()).as(c.getKey()).singleElement()
                        .satisfies(e -> assertThat(e.message()).contains(c.getValue()));
            } finally {
                server.close();
            }
        }
    }

    @Test
    void theStdoutLoggerTakesALogFormatToo() throws Exception {
        String config = "[ { name: envoy.access_loggers.stdout, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog, log_format: "
                + "{ text_format: \"%NOT_KNOWN%\" } } } ]";
        ProxyServer server = ProxyHarness.startServer(Bootstraps.http("          access_log: " + config + "\n",
                Bootstraps.anyHost(ROUTES), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())),
                ProxyOptions.defaults());
        try {
            assertThat(server.configErrors()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("%NOT_KNOWN% is not known"));
        } finally {
            server.close();
        }
    }

}
