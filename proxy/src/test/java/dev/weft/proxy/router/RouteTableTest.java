package dev.weft.proxy.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.proxy.Protos;
import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteTable table(String yaml) {
        return RouteTableCompiler.compile(Protos.fromYaml(yaml, RouteConfiguration.newBuilder()));
    }

    private static String route(RouteTable t, String host, String uri, String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        VirtualHost vh = t.virtualHost(host);
        if (vh == null) {
            return "no-vhost";
        }
        Route r = vh.match(new RouteRequest("GET", uri, h));
        return r == null ? "no-route" : vh.name() + "/" + r.name();
    }

    @Test
    void virtualHostsByExactSuffixPrefixAndDefaultDomain() {
        RouteTable t = table("""
                name: r
                virtual_hosts:
                - { name: exact, domains: ["api.example.com", "api.example.com:8080"], routes: [ { name: a, match: { prefix: / }, direct_response: { status: 200 } } ] }
                - { name: suffix-long, domains: ["*.b.example.com"], routes: [ { name: a, match: { prefix: / }, direct_response: { status: 200 } } ] }
                - { name: suffix, domains: ["*.example.com"], routes: [ { name: a, match: { prefix: / }, direct_response: { status: 200 } } ] }
                - { name: prefix, domains: ["www.*"], routes: [ { name: a, match: { prefix: / }, direct_response: { status: 200 } } ] }
                - { name: any, domains: ["*"], routes: [ { name: a, match: { prefix: / }, direct_response: { status: 200 } } ] }
                """);
        assertThat(route(t, "api.example.com", "/")).isEqualTo("exact/a");
        assertThat(route(t, "API.example.com", "/")).isEqualTo("exact/a");
        assertThat(route(t, "api.example.com:8080", "/")).isEqualTo("exact/a");
        assertThat(route(t, "x.b.example.com", "/")).isEqualTo("suffix-long/a");
        assertThat(route(t, "x.example.com", "/")).isEqualTo("suffix/a");
        assertThat(route(t, "www.other.org", "/")).isEqualTo("prefix/a");
        assertThat(route(t, "other.org", "/")).isEqualTo("any/a");
    }

    @Test
    void requireTlsRedirectsRequestsThatDidNotComeOverTlsToHttpsWith301() {
        RouteTable t = table("""
                virtual_hosts:
                - { name: all, domains: ["secure.example.com"], require_tls: ALL,
                    routes: [ { name: a, match: { prefix: / }, direct_response: { status: 200 } } ] }
                - { name: external, domains: ["mixed.example.com"], require_tls: EXTERNAL_ONLY,
                    routes: [ { name: a, match: { prefix: / }, direct_response: { status: 200 } } ] }
                """);
        HttpHeaders plain = new DefaultHttpHeaders().add("x-forwarded-proto", "http");
        RouteRequest request = new RouteRequest("GET", "/status/418?x=1", plain);
        Route redirect = t.virtualHost("secure.example.com").match(request);
        assertThat(redirect.action()).isEqualTo(new RouteAction.Redirect(301, "https", null, 0, null, null, false));
        assertThat(redirect.redirectLocation(request, "http", "secure.example.com"))
                .isEqualTo("https://secure.example.com/status/418?x=1");

        assertThat(route(t, "secure.example.com", "/", "x-forwarded-proto", "https")).isEqualTo("all/a");
        assertThat(route(t, "mixed.example.com", "/", "x-forwarded-proto", "http", "x-envoy-internal", "true"))
                .as("EXTERNAL_ONLY lets internal requests through in plain text").isEqualTo("external/a");
        assertThat(t.virtualHost("mixed.example.com").match(request).action())
                .isInstanceOf(RouteAction.Redirect.class);
    }

    @Test
    void pathMatchersInOrderWithCaseSensitivity() {
        RouteTable t = table("""
                virtual_hosts:
                - name: v
                  domains: ["*"]
                  routes:
                  - { name: exact, match: { path: /exact }, direct_response: { status: 200 } }
                  - { name: nocase, match: { prefix: /NoCase, case_sensitive: false }, direct_response: { status: 200 } }
                  - { name: regex, match: { safe_regex: { regex: "/items/[0-9]+" } }, direct_response: { status: 200 } }
                  - { name: sep, match: { path_separated_prefix: /api }, direct_response: { status: 200 } }
                  - { name: prefix, match: { prefix: /p }, direct_response: { status: 200 } }
                """);
        assertThat(route(t, "h", "/exact?q=1")).isEqualTo("v/exact");
        assertThat(route(t, "h", "/exact/more")).isEqualTo("no-route");
        assertThat(route(t, "h", "/nocase/x")).isEqualTo("v/nocase");
        assertThat(route(t, "h", "/items/42")).isEqualTo("v/regex");
        assertThat(route(t, "h", "/items/42x")).isEqualTo("no-route");
        assertThat(route(t, "h", "/api")).isEqualTo("v/sep");
        assertThat(route(t, "h", "/api/v1")).isEqualTo("v/sep");
        assertThat(route(t, "h", "/apiv1")).isEqualTo("no-route");
        assertThat(route(t, "h", "/pxyz")).isEqualTo("v/prefix");
    }

    @Test
    void headerAndQueryParameterMatchers() {
        RouteTable t = table("""
                virtual_hosts:
                - name: v
                  domains: ["*"]
                  routes:
                  - name: canary
                    match:
                      prefix: /
                      headers: [ { name: x-canary, string_match: { exact: "true" } } ]
                  - name: not-mobile
                    match:
                      prefix: /
                      headers: [ { name: user-agent, string_match: { contains: Mobile }, invert_match: true } ]
                      query_parameters: [ { name: debug, present_match: true } ]
                    direct_response: { status: 200 }
                  - name: version
                    match:
                      prefix: /
                      query_parameters: [ { name: v, string_match: { safe_regex: { regex: "[12]" } } } ]
                    direct_response: { status: 200 }
                  - name: range
                    match:
                      prefix: /
                      headers: [ { name: x-n, range_match: { start: 10, end: 20 } } ]
                    direct_response: { status: 200 }
                """.replace("      headers: [ { name: x-canary, string_match: { exact: \"true\" } } ]\n",
                "      headers: [ { name: x-canary, string_match: { exact: \"true\" } } ]\n    direct_response: { status: 200 }\n"));
        assertThat(route(t, "h", "/", "x-canary", "true")).isEqualTo("v/canary");
        assertThat(route(t, "h", "/?debug", "user-agent", "Desktop")).isEqualTo("v/not-mobile");
        assertThat(route(t, "h", "/?debug", "user-agent", "Mobile Safari")).isEqualTo("no-route");
        assertThat(route(t, "h", "/?v=2")).isEqualTo("v/version");
        assertThat(route(t, "h", "/?v=3")).isEqualTo("no-route");
        assertThat(route(t, "h", "/", "x-n", "15")).isEqualTo("v/range");
        assertThat(route(t, "h", "/", "x-n", "20")).isEqualTo("no-route");
    }

    @Test
    void rewritesPrefixAndRegex() {
        RouteTable t = table("""
                virtual_hosts:
                - name: v
                  domains: ["*"]
                  routes:
                  - name: p
                    match: { prefix: /old/ }
                    route: { cluster: c, prefix_rewrite: /new/ }
                  - name: r
                    match: { prefix: /r/ }
                    route:
                      cluster: c
                      regex_rewrite: { pattern: { regex: "^/r/(\\\\w+)/(\\\\w+)$" }, substitution: "/\\\\2/\\\\1" }
                """);
        RouteRequest old = new RouteRequest("GET", "/old/a/b?q=1", new DefaultHttpHeaders());
        assertThat(t.virtualHost("h").match(old).rewritePath(old)).isEqualTo("/new/a/b?q=1");
        RouteRequest swap = new RouteRequest("GET", "/r/one/two", new DefaultHttpHeaders());
        assertThat(t.virtualHost("h").match(swap).rewritePath(swap)).isEqualTo("/two/one");
    }

    @Test
    void rejectsBadConfigWithPreciseMessages() {
        assertThatThrownBy(() -> table("""
                virtual_hosts:
                - { name: a, domains: ["x"], routes: [] }
                - { name: b, domains: ["x"], routes: [] }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("domain 'x' appears in more than one");
        assertThatThrownBy(() -> table("""
                virtual_hosts:
                - { name: a, domains: ["*"], routes: [ { name: bad, match: { safe_regex: { regex: "(" } }, route: { cluster: c } } ] }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("route 'bad'").hasMessageContaining("invalid regex");
        assertThatThrownBy(() -> table("""
                virtual_hosts:
                - { name: a, domains: ["*"], routes: [ { name: w, match: { prefix: / }, route: { weighted_clusters: { clusters: [ { name: c, weight: 0 } ] } } } ] }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("total weight");
        assertThatThrownBy(() -> table("""
                virtual_hosts:
                - { name: a, domains: ["*"], routes: [ { name: r, match: { prefix: / }, route: { cluster: c, retry_policy: { retry_on: "5xx,bogus" } } } ] }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("unknown retry_on condition 'bogus'");
    }

    /** Istio sends VirtualService method/authority/scheme matches as pseudo-header matchers. */
    @Test
    void headerMatchersSeeTheRequestsPseudoHeaders() {
        RouteTable t = table("""
                name: r
                virtual_hosts:
                - name: svc
                  domains: ["*"]
                  routes:
                  - { name: post, match: { prefix: /, headers: [ { name: ":method", string_match: { exact: POST } } ] }, direct_response: { status: 200 } }
                  - { name: host, match: { prefix: /, headers: [ { name: ":authority", string_match: { prefix: "admin." } } ] }, direct_response: { status: 200 } }
                  - { name: https, match: { prefix: /, headers: [ { name: ":scheme", string_match: { exact: https } } ] }, direct_response: { status: 200 } }
                  - { name: path, match: { prefix: /, headers: [ { name: ":path", string_match: { suffix: "?debug=1" } } ] }, direct_response: { status: 200 } }
                  - { name: rest, match: { prefix: / }, direct_response: { status: 200 } }
                """);
        VirtualHost vh = t.virtualHost("any");
        HttpHeaders admin = new DefaultHttpHeaders().add("host", "admin.example.com");
        assertThat(vh.match(new RouteRequest("POST", "/x", new DefaultHttpHeaders())).name()).isEqualTo("post");
        assertThat(vh.match(new RouteRequest("GET", "/x", admin)).name()).isEqualTo("host");
        assertThat(vh.match(new RouteRequest("GET", "/x", new DefaultHttpHeaders(), "https")).name()).isEqualTo("https");
        assertThat(vh.match(new RouteRequest("GET", "/x?debug=1", new DefaultHttpHeaders())).name()).isEqualTo("path");
        assertThat(vh.match(new RouteRequest("GET", "/x", new DefaultHttpHeaders())).name()).isEqualTo("rest");
    }
}
