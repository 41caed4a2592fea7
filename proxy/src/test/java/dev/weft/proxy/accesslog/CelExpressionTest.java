package dev.weft.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import dev.weft.proxy.streaminfo.ResponseFlag;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and evaluating the CEL that access log filters are written in, against a finished request's facts. */
class CelExpressionTest {

    /** A finished HTTP request as the access log sees it: only data, no connection. */
    private record Request(int code, Map<String, String> headers, Map<String, String> responseHeaders, int flags,
            long nanos, String upstream, String details) implements AccessLogContext {

        static Request of(int code) {
            return new Request(code, Map.of(":method", "GET", ":path", "/api/v1?x=1", "user-agent", "curl/8",
                    "x-debug", "on"), Map.of("content-type", "text/plain"), 0, 1_500_000_000L, "10.0.0.9:8080",
                    "via_upstream");
        }

        Request withFlags(int bits) {
            return new Request(code, headers, responseHeaders, bits, nanos, upstream, details);
        }

        @Override
        public Instant startTime() {
            return Instant.EPOCH;
        }

        @Override
        public long durationNanos() {
            return nanos;
        }

        @Override
        public String requestHeader(String name) {
            return headers.get(name);
        }

        @Override
        public String responseHeader(String name) {
            return responseHeaders.get(name);
        }

        @Override
        public String protocol() {
            return "HTTP/1.1";
        }

        @Override
        public int responseCode() {
            return code;
        }

        @Override
        public String responseCodeDetails() {
            return details;
        }

        @Override
        public int responseFlags() {
            return flags;
        }

        @Override
        public long bytesReceived() {
            return 0;
        }

        @Override
        public long bytesSent() {
            return 42;
        }

        @Override
        public String upstreamHost() {
            return upstream;
        }

        @Override
        public String upstreamCluster() {
            return "outbound|8080||reviews.default.svc.cluster.local";
        }

        @Override
        public SocketAddress upstreamLocalAddress() {
            return null;
        }

        @Override
        public Channel downstreamConnection() {
            return null;
        }

        @Override
        public DynamicMetadata dynamicMetadata() {
            return new DynamicMetadata();
        }
    }

    private static Object eval(String expression, AccessLogContext context) {
        return CelExpression.parse(expression).evaluate(context);
    }

    private static boolean logs(String expression, AccessLogContext context) {
        return CelExpression.parse(expression).test(context);
    }

    @Test
    void comparesResponseCodes() {
        assertThat(logs("response.code >= 400", Request.of(503))).isTrue();
        assertThat(logs("response.code >= 400", Request.of(200))).isFalse();
        assertThat(logs("response.code == 200", Request.of(200))).isTrue();
        assertThat(logs("response.code != 200", Request.of(200))).isFalse();
        assertThat(logs("response.code < 300", Request.of(204))).isTrue();
        assertThat(logs("response.code <= 299", Request.of(300))).isFalse();
        assertThat(logs("response.code > 499", Request.of(500))).isTrue();
    }

    @Test
    void combinesWithPrecedenceAndParentheses() {
        Request ok = Request.of(200);
        assertThat(logs("response.code >= 500 || request.method == 'GET' && request.path.startsWith('/api')", ok))
                .as("&& binds tighter than ||").isTrue();
        assertThat(logs("(response.code >= 500 || request.method == 'GET') && request.path.startsWith('/x')", ok))
                .isFalse();
        assertThat(logs("!(response.code == 200)", ok)).isFalse();
        assertThat(logs("!!true", ok)).isTrue();
        assertThat(eval("1 + 2 * 3 - 8 / 2 % 3", ok)).isEqualTo(6L);
        assertThat(eval("response.code == 200 ? 'fine' : 'bad'", ok)).isEqualTo("fine");
        assertThat(eval("-response.code", ok)).isEqualTo(-200L);
    }

    @Test
    void readsEnvoysRequestAndResponseAttributes() {
        Request r = Request.of(200);
        assertThat(eval("request.method", r)).isEqualTo("GET");
        assertThat(eval("request.path", r)).isEqualTo("/api/v1?x=1");
        assertThat(eval("request.url_path", r)).isEqualTo("/api/v1");
        assertThat(eval("request.query", r)).isEqualTo("x=1");
        assertThat(eval("request.useragent", r)).isEqualTo("curl/8");
        assertThat(eval("request.headers['X-Debug']", r)).as("header names ignore case").isEqualTo("on");
        assertThat(eval("request.headers.x_missing == 'a'", r)).isInstanceOf(CelError.class);
        assertThat(eval("response.headers['content-type']", r)).isEqualTo("text/plain");
        assertThat(eval("response.code_details", r)).isEqualTo("via_upstream");
        assertThat(eval("response.size", r)).isEqualTo(42L);
        assertThat(eval("upstream.address", r)).isEqualTo("10.0.0.9:8080");
        assertThat(eval("upstream.port", r)).isEqualTo(8080L);
        assertThat(eval("xds.cluster_name", r)).isEqualTo("outbound|8080||reviews.default.svc.cluster.local");
        assertThat(eval("connection.mtls", r)).isEqualTo(false);
        assertThat(eval("request.duration", r)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void responseFlagsAreEnvoysBits() {
        Request failed = Request.of(503).withFlags(ResponseFlag.UPSTREAM_CONNECTION_FAILURE.bit()
                | ResponseFlag.NO_ROUTE_FOUND.bit());
        assertThat(eval("response.flags", failed)).isEqualTo(0x20L | 0x100L);
        assertThat(logs("response.flags != 0", failed)).isTrue();
        assertThat(logs("response.flags == 0", Request.of(200))).isTrue();
    }

    @Test
    void durationsCompareAndParseGoSyntax() {
        Request slow = Request.of(200);
        assertThat(logs("request.duration > duration('1s')", slow)).isTrue();
        assertThat(logs("request.duration > duration('1.5s')", slow)).isFalse();
        assertThat(logs("request.duration >= duration('1m') - duration('59s')", slow)).isTrue();
        assertThat(eval("duration('1h30m')", slow)).isEqualTo(Duration.ofMinutes(90));
        assertThat(eval("duration('250ms')", slow)).isEqualTo(Duration.ofMillis(250));
        assertThat(eval("duration('-2us')", slow)).isEqualTo(Duration.ofNanos(-2000));
    }

    @Test
    void listsStringsAndMembership() {
        Request r = Request.of(503);
        assertThat(logs("response.code in [500, 502, 503]", r)).isTrue();
        assertThat(logs("response.code in [500, 502]", r)).isFalse();
        assertThat(logs("'x-debug' in request.headers", r)).isTrue();
        assertThat(logs("'x-other' in request.headers", r)).isFalse();
        assertThat(logs("request.path.contains('v1') && request.path.endsWith('x=1')", r)).isTrue();
        assertThat(logs("request.path.matches('^/api/v[0-9]+')", r)).isTrue();
        assertThat(logs("request.path.matches('^/v[0-9]+')", r)).isFalse();
        assertThat(eval("size(request.method) + 'abc'.size()", r)).isEqualTo(6L);
        assertThat(eval("'a' + \"b\" + r'\\d' + '\\x41\\u0042\\n'", r)).isEqualTo("ab\\dAB\n");
        assertThat(eval("int('42') == 42 && string(7) == '7'", r)).isEqualTo(true);
        assertThat(eval("[1, 2, 3,][2]", r)).isEqualTo(3L);
        assertThat(eval("0x1F + 2u", r)).isEqualTo(33L);
    }

    /** CEL's commutative logic: a decided side wins over an error on the other; otherwise the error stands. */
    @Test
    void errorsAreValuesAndNeverLog() {
        Request tcp = new Request(0, Map.of(), Map.of(), 0, 0, null, null);
        assertThat(eval("response.code >= 500", tcp)).isInstanceOf(CelError.class);
        assertThat(logs("response.code >= 500", tcp)).as("a missing attribute does not log").isFalse();
        assertThat(logs("response.code >= 500 || true", tcp)).isTrue();
        assertThat(logs("true || response.code >= 500", tcp)).isTrue();
        assertThat(logs("response.code >= 500 && false", tcp)).isFalse();
        assertThat(eval("upstream.address == 'x' || response.code == 1", tcp)).isInstanceOf(CelError.class);
        Request r = Request.of(200);
        assertThat(eval("response.code < 'abc'", r)).isEqualTo(new CelError("no such overload: int < string"));
        assertThat(eval("response.code == '200'", r)).as("equality across types is false").isEqualTo(false);
        assertThat(eval("response.code / 0", r)).isEqualTo(new CelError("division by zero"));
        assertThat(eval("9223372036854775807 + response.code", r)).isInstanceOf(CelError.class);
        assertThat(eval("[1][5]", r)).isInstanceOf(CelError.class);
        assertThat(eval("!response.code", r)).isInstanceOf(CelError.class);
        assertThat(logs("response.code", r)).as("a non-bool result does not log").isFalse();
        assertThat(eval("int(request.method)", r)).isEqualTo(new CelError("cannot convert 'GET' to int"));
    }

    @Test
    void malformedExpressionsAreConfigErrorsNamingTheColumn() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("response.code >= ", "unexpected the end of the expression at column 18"),
                Map.entry("response.code = 500", "unexpected character '=' (compare with ==) at column 15"),
                Map.entry("response.code >= 500 & true", "unexpected character '&' (and is &&) at column 22"),
                Map.entry("(response.code == 500", "expected ')' but found the end of the expression at column 22"),
                Map.entry("response.code == 500)", "unexpected ')' at column 21"),
                Map.entry("response.status == 500", "unknown attribute 'response.status' at column 1"),
                Map.entry("request.header['x'] == 'y'", "unknown attribute 'request.header' at column 1"),
                Map.entry("respons.code == 500", "unknown identifier 'respons' at column 1"),
                Map.entry("request == 1", "unknown attribute 'request' at column 1"),
                Map.entry("request.path.startWith('/a')", "unknown function .startWith with 1 argument at column 14"),
                Map.entry("duration('1 s') > request.duration", "invalid duration '1 s' at column 1"),
                Map.entry("int('x') == response.code", "cannot convert 'x' to int at column 1"),
                Map.entry("request.path.matches('[a-')", "invalid regular expression '[a-'"),
                Map.entry("request.path == 'abc", "unterminated string at column 17"),
                Map.entry("request.path == '\\q'", "invalid escape \\q at column 18"),
                Map.entry("response.code > 1.5", "floating-point literals are not supported at column 17"),
                Map.entry("response.code > 99999999999999999999", "int literal 99999999999999999999 is out of range"),
                Map.entry("request.headers[]", "unexpected ']' at column 17"),
                Map.entry("null == request.path", "null is not supported in access log filters at column 1"),
                Map.entry("b'x' == request.path", "bytes literals are not supported at column 1"),
                Map.entry("response.code >= 400 ; true", "unexpected character ';' at column 22"));
        cases.forEach((expression, message) -> assertThatThrownBy(() -> CelExpression.parse(expression))
                .as(expression).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CEL expression \"" + expression + "\": ").hasMessageContaining(message));
        assertThatThrownBy(() -> CelExpression.parse("  ")).hasMessage("CEL expression is empty");
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        for (String open : List.of("(", "!", "-", "[")) {
            String deep = open.repeat(10_000) + "1";
            assertThatThrownBy(() -> CelExpression.parse(deep)).as(open).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("nests deeper than 64 levels");
        }
        assertThat(eval("(".repeat(30) + "1" + ")".repeat(30), Request.of(200))).isEqualTo(1L);
    }
}
