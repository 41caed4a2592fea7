package dev.weft.proxy.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.Protos;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.RouteTableCompiler;
import dev.weft.proxy.router.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Config regexes run on RE2/J: no catastrophic backtracking, and Envoy's program size limit. */
class ConfigRegexTest {

    /** With a backtracking engine, "(a+)+b" on n a's and no b takes about 2^n steps; RE2 takes about n. */
    private static final String CATASTROPHIC = "/(a+)+b";
    private static final String NO_B = "/" + "a".repeat(20_000);

    private static RouteTable table(String regex, String extra) {
        return RouteTableCompiler.compile(Protos.fromYaml("""
                virtual_hosts:
                - name: v
                  domains: ["*"]
                  routes:
                  - { name: r, match: { safe_regex: { regex: "%s" %s } }, direct_response: { status: 200 } }
                """.formatted(regex, extra), RouteConfiguration.newBuilder()));
    }

    @Test
    void aCatastrophicBacktrackingPatternMatchesInLinearTime() {
        RouteTable t = table(CATASTROPHIC, "");
        VirtualHost vh = t.virtualHost("h");
        // A generous bound: java.util.regex would not finish this in the lifetime of the machine.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(vh.match(new RouteRequest("GET", NO_B, new DefaultHttpHeaders()))).isNull();
            assertThat(vh.match(new RouteRequest("GET", NO_B + "b", new DefaultHttpHeaders()))).isNotNull();
        });
    }

    @Test
    void aHeaderRegexOnHostileInputAnswersThroughTheProxy() {
        try (ProxyHarness proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: /, headers: [ { name: x-token, safe_regex_match: { regex: "(a+)+b" } } ] }
                  direct_response: { status: 200 }
                - match: { prefix: / }
                  direct_response: { status: 403 }
                """), "", ""))) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThat(proxy.get("/", "x-token", "a".repeat(8_000)).statusCode()).isEqualTo(403);
                assertThat(proxy.get("/", "x-token", "a".repeat(8_000) + "b").statusCode()).isEqualTo(200);
            });
        }
    }

    @Test
    void aProgramPastEnvoysDefaultLimitIsAConfigError() {
        assertThatThrownBy(() -> table("/[a-z]{120}", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("route 'r'")
                .hasMessageMatching("(?s).*regex '/\\[a-z\\]\\{120\\}' RE2 program size of \\d+ > max program size of 100.*");
        assertThat(table("/[a-z]{12}", "").virtualHost("h")).isNotNull();
    }

    @Test
    void theMatchersOwnMaxProgramSizeRaisesTheLimit() {
        RouteTable t = table("/[a-z]{120}", ", google_re2: { max_program_size: 1000 }");
        assertThat(t.virtualHost("h").match(new RouteRequest("GET", "/" + "x".repeat(120), new DefaultHttpHeaders())))
                .isNotNull();
    }

    @Test
    void syntaxErrorsStayConfigErrors() {
        assertThatThrownBy(() -> ConfigRegex.compile("(", 100)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid regex '('");
    }
}
