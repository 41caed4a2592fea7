package dev.weft.examples.curl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.app.Env;
import dev.weft.examples.app.Json;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import dev.weft.examples.fixture.RecordingProxy;
import dev.weft.examples.httpbin.Httpbin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurlTest {

    @Test
    void fetchGoesThroughTheProxyByNameAndReportsStatusAndBody() {
        try (RunningApp httpbin = Httpbin.start(Httpbin.Config.fromEnv(Env.of(Map.of("PORT", "0"))));
                RecordingProxy proxy = new RecordingProxy(Map.of("httpbin:8000", httpbin.baseUri()));
                RunningApp curl = Curl.start(Curl.Config.fromEnv(Env.of(Map.of(
                        "PORT", "0", "HTTP_PROXY", proxy.address()))))) {
            Map<String, Object> ok = fetch(curl, "http://httpbin:8000/status/418");
            assertThat(ok.get("status")).isEqualTo(418L);
            assertThat(ok.get("url")).isEqualTo("http://httpbin:8000/status/418");
            Map<String, Object> echo = fetch(curl, "http://httpbin:8000/headers");
            assertThat((String) echo.get("body")).contains("\"Host\"");

            assertThat(proxy.seen()).extracting(RecordingProxy.Seen::host).containsExactly("httpbin:8000", "httpbin:8000");
            assertThat(proxy.seen().getFirst().target()).isEqualTo(URI.create("http://httpbin:8000/status/418"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void headerParametersAreSentWithTheCall() {
        try (RunningApp httpbin = Httpbin.start(Httpbin.Config.fromEnv(Env.of(Map.of("PORT", "0"))));
                RecordingProxy proxy = new RecordingProxy(Map.of("httpbin:8000", httpbin.baseUri()));
                RunningApp curl = Curl.start(Curl.Config.fromEnv(Env.of(Map.of(
                        "PORT", "0", "HTTP_PROXY", proxy.address()))))) {
            Map<String, Object> echo = fetch(curl, "http://httpbin:8000/headers", "&header="
                    + encode("Authorization: Bearer abc.def") + "&header=" + encode("x-test:one"));

            Map<String, Object> seen = (Map<String, Object>) ((Map<String, Object>) Json.parse((String) echo.get("body")))
                    .get("headers");
            assertThat(seen).containsEntry("Authorization", List.of("Bearer abc.def"))
                    .containsEntry("X-Test", List.of("one"));
            HttpResponse<String> bad = Http.get(curl.baseUri().resolve("/fetch?url="
                    + encode("http://httpbin:8000/headers") + "&header=" + encode("no colon")));
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aCallWithoutAnswerIsReportedAsAnError() {
        try (RunningApp curl = Curl.start(Curl.Config.fromEnv(Env.of(Map.of("PORT", "0", "FETCH_TIMEOUT", "2s"))))) {
            Map<String, Object> refused = fetch(curl, "http://127.0.0.1:" + Http.closedPort() + "/get");
            assertThat(refused).containsOnlyKeys("url", "error");
            assertThat((String) refused.get("error")).startsWith("call to http://127.0.0.1:");
        }
    }

    @Test
    void aMissingOrNonHttpUrlIs400() {
        try (RunningApp curl = Curl.start(Curl.Config.fromEnv(Env.of(Map.of("PORT", "0"))))) {
            assertThat(Http.get(curl.baseUri().resolve("/fetch")).statusCode()).isEqualTo(400);
            assertThat(Http.get(curl.baseUri().resolve("/fetch?url=" + encode("ftp://x/y"))).statusCode()).isEqualTo(400);
            assertThat(Http.get(curl.baseUri().resolve("/fetch?url=" + encode("not a url"))).statusCode()).isEqualTo(400);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(RunningApp curl, String url) {
        return fetch(curl, url, "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(RunningApp curl, String url, String moreParameters) {
        HttpResponse<String> response = Http.get(curl.baseUri().resolve("/fetch?url=" + encode(url) + moreParameters));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (Map<String, Object>) Json.parse(response.body());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
