package dev.weft.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.ResettingServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access log filters on a real proxy: real requests, some answered by the upstream and some failing, and the file
 * holds the lines of only those the filter admits. Lines reach the file in request order, so once the last
 * admitted request's line is there, any line of an earlier rejected request would be there too.
 */
class AccessLogFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = """
            - match: { prefix: /up }
              route: { cluster: up }
            - match: { prefix: /teapot }
              direct_response: { status: 418 }
            - match: { prefix: /refused }
              route: { cluster: refused }
            """;

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

    /** A file access log printing method, path and code, with {@code filter} (Envoy's AccessLogFilter as JSON). */
    private String bootstrap(Map<String, Object> filter) throws Exception {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("name", "envoy.access_loggers.file");
        log.put("filter", filter);
        log.put("typed_config", Map.of("@type", "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
                "path", dir.resolve("access.log").toString(), "log_format", Map.of("text_format_source",
                        Map.of("inline_string", "%REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS%\n"))));
        return Bootstraps.http("          access_log: [ " + JSON.writeValueAsString(log) + " ]\n",
                Bootstraps.anyHost(ROUTES), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())
                        + Bootstraps.staticCluster("refused", "ROUND_ROBIN", "", ResettingServer.closedPort()));
    }

    private static Map<String, Object> cel(String expression) {
        return Map.of("extension_filter", Map.of("name", "envoy.access_loggers.extension_filters.cel",
                "typed_config", Map.of("@type",
                        "type.googleapis.com/envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter",
                        "expression", expression)));
    }

    /** Sends the requests in order and returns the log once it holds {@code expected} lines. */
    private List<String> logFor(Map<String, Object> filter, List<String> paths, int expected) throws Exception {
        proxy = ProxyHarness.start(bootstrap(filter));
        for (String path : paths) {
            proxy.get(path);
        }
        return AccessLogFormatTest.lines(dir.resolve("access.log"), expected);
    }

    @Test
    void aCelFilterLogsOnlyFailingRequests() throws Exception {
        List<String> lines = logFor(cel("response.code >= 400"),
                List.of("/up/1", "/up/2", "/teapot", "/up/3", "/refused"), 2);
        assertThat(lines).containsExactly("GET /teapot 418 -", "GET /refused 503 UF");
    }

    @Test
    void aCelFilterReadsHeadersFlagsAndMethods() throws Exception {
        List<String> lines = logFor(cel("response.flags != 0 || request.path.startsWith('/up/debug')"),
                List.of("/up/1", "/up/debug", "/teapot", "/refused"), 2);
        assertThat(lines).containsExactly("GET /up/debug 200 -", "GET /refused 503 UF");
    }

    @Test
    void envoysTypedFiltersCombine() throws Exception {
        Map<String, Object> statusAtLeast400 = Map.of("status_code_filter", Map.of("comparison",
                Map.of("op", "GE", "value", Map.of("default_value", 400, "runtime_key", "access_log.status"))));
        Map<String, Object> upstreamFailure = Map.of("response_flag_filter", Map.of("flags", List.of("UF", "UH")));
        Map<String, Object> notUpstreamFailure = Map.of("and_filter", Map.of("filters", List.of(statusAtLeast400,
                Map.of("not_health_check_filter", Map.of()))));
        List<String> lines = logFor(Map.of("or_filter", Map.of("filters", List.of(notUpstreamFailure,
                upstreamFailure))), List.of("/up/1", "/teapot", "/up/2", "/refused"), 2);
        assertThat(lines).containsExactly("GET /teapot 418 -", "GET /refused 503 UF");
    }

    @Test
    void aResponseFlagFilterWithoutFlagsLogsAnyFlaggedResponse() throws Exception {
        List<String> lines = logFor(Map.of("response_flag_filter", Map.of()),
                List.of("/up/1", "/teapot", "/refused"), 1);
        assertThat(lines).containsExactly("GET /refused 503 UF");
    }

    @Test
    void aBadFilterRejectsTheListenerWithAMessage() throws Exception {
        Map<Map<String, Object>, String> cases = Map.of(
                cel("response.code >== 400"), "access log filter: CEL expression \"response.code >== 400\": "
                        + "unexpected character '=' (compare with ==) at column 17",
                cel("response.status >= 400"), "unknown attribute 'response.status' at column 1",
                Map.of("response_flag_filter", Map.of("flags", List.of("XX"))), "unknown response flag XX",
                Map.of("and_filter", Map.of("filters", List.of(cel("true")))), "and_filter needs at least 2 filters",
                Map.of("traceable_filter", Map.of()), "access log filter: traceable_filter is not supported");
        for (Map.Entry<Map<String, Object>, String> c : cases.entrySet()) {
            ProxyServer server = ProxyHarness.startServer(bootstrap(c.getKey()), ProxyOptions.defaults());
            try {
                assertThat(server.configErrors()).as(c.getValue()).singleElement()
                        .satisfies(e -> assertThat(e.message()).contains(c.getValue()));
            } finally {
                server.close();
            }
        }
    }
}
