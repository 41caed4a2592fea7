package dev.weft.examples.httpbin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.app.Env;
import dev.weft.examples.app.Json;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpbinTest {
    private static RunningApp httpbin;

    @BeforeAll
    static void start() {
        httpbin = Httpbin.start(Httpbin.Config.fromEnv(Env.of(Map.of("PORT", "0"))), new SplittableRandom(7));
    }

    @AfterAll
    static void stop() {
        httpbin.close();
    }

    @Test
    void defaultPortIs8000() {
        assertThat(Httpbin.Config.fromEnv(Env.of(Map.of())).listen().port()).isEqualTo(8000);
    }

    @Test
    void getEchoesArgsHeadersOriginAndUrl() {
        Map<String, Object> echo = json(Http.get(uri("/get?show_env=1&a=1&a=2"), "X-B3-Sampled", "1"));

        assertThat(echo).containsEntry("args", Map.of("show_env", List.of("1"), "a", List.of("1", "2")))
                .containsEntry("method", "GET")
                .containsEntry("origin", "127.0.0.1")
                .containsEntry("url", "http://127.0.0.1:" + httpbin.port() + "/get?show_env=1&a=1&a=2");
        assertThat(echo.get("headers")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("X-B3-Sampled", List.of("1"))
                .containsEntry("Host", List.of("127.0.0.1:" + httpbin.port()));
    }

    @Test
    void headersIpAndUserAgent() {
        assertThat(json(Http.get(uri("/headers"), "x-request-id", "abc")).get("headers"))
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("X-Request-Id", List.of("abc"));
        assertThat(json(Http.get(uri("/ip"), "X-Forwarded-For", "10.1.2.3, 10.0.0.1")))
                .isEqualTo(Map.of("origin", "10.1.2.3"));
        assertThat(json(Http.get(uri("/ip")))).isEqualTo(Map.of("origin", "127.0.0.1"));
        assertThat(json(Http.get(uri("/user-agent"), "User-Agent", "curl/8"))).isEqualTo(Map.of("user-agent", "curl/8"));
    }

    @Test
    void statusReturnsTheCodeAskedFor() {
        assertThat(Http.get(uri("/status/418")).statusCode()).isEqualTo(418);
        assertThat(Http.get(uri("/status/503")).statusCode()).isEqualTo(503);
        HttpResponse<String> redirect = Http.get(uri("/status/302"));
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/redirect/1");
        HttpResponse<String> post = Http.send(Http.request(uri("/status/201")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(201);
    }

    @Test
    void statusPicksAmongCommaSeparatedCodes() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            seen.add(Http.get(uri("/status/200,503")).statusCode());
        }
        assertThat(seen).containsExactlyInAnyOrder(200, 503);
        for (int i = 0; i < 10; i++) {
            assertThat(Http.get(uri("/status/200:0,504:1")).statusCode()).isEqualTo(504);
        }
    }

    @Test
    void badStatusListsAreRejectedWithAMessage() {
        for (String bad : List.of("abc", "99", "600", "200:x", "200:0", "200,,503")) {
            HttpResponse<String> response = Http.get(uri("/status/" + bad));
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(response)).as(bad).containsKey("error");
        }
    }

    @Test
    void delayWaitsBeforeAnswering() {
        long start = System.nanoTime();
        HttpResponse<String> response = Http.get(uri("/delay/0.2"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).containsEntry("url", "http://127.0.0.1:" + httpbin.port() + "/delay/0.2");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void delayOverTenSecondsOrNotANumberIsRejected() {
        assertThat(Http.get(uri("/delay/11")).statusCode()).isEqualTo(400);
        assertThat(Http.get(uri("/delay/-1")).statusCode()).isEqualTo(400);
        assertThat(Http.get(uri("/delay/soon")).statusCode()).isEqualTo(400);
    }

    @Test
    void anythingEchoesAnyMethodPathAndBody() {
        Map<String, Object> put = json(Http.send(Http.request(uri("/anything/a/b?x=1"), "Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"k\":[1,true]}"))));
        assertThat(put).containsEntry("method", "PUT")
                .containsEntry("data", "{\"k\":[1,true]}")
                .containsEntry("json", Map.of("k", List.of(1L, true)))
                .containsEntry("args", Map.of("x", List.of("1")))
                .containsEntry("url", "http://127.0.0.1:" + httpbin.port() + "/anything/a/b?x=1");

        Map<String, Object> form = json(Http.send(Http.request(uri("/anything"),
                        "Content-Type", "application/x-www-form-urlencoded")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a=1&b=two+words"))));
        assertThat(form).containsEntry("method", "PATCH")
                .containsEntry("form", Map.of("a", List.of("1"), "b", List.of("two words")))
                .containsEntry("json", null);

        assertThat(json(Http.send(Http.request(uri("/anything")).DELETE()))).containsEntry("method", "DELETE");
    }

    @Test
    void bytesReturnsThatManyBytesRepeatablyWithASeed() {
        HttpResponse<byte[]> first = bytes("/bytes/1024?seed=42");
        HttpResponse<byte[]> second = bytes("/bytes/1024?seed=42");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(first.body()).hasSize(1024).isEqualTo(second.body());
        assertThat(bytes("/bytes/16").body()).hasSize(16);
        assertThat(bytes("/bytes/102401").statusCode()).isEqualTo(400);
    }

    @Test
    void streamSendsOneJsonLinePerItemChunked() {
        HttpResponse<String> response = Http.get(uri("/stream/3"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        List<String> lines = response.body().lines().toList();
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Json.parse(lines.get(i))).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("id", (long) i);
        }
        assertThat(Http.get(uri("/stream/1000")).body().lines()).hasSize(Httpbin.MAX_STREAM_LINES);
    }

    @Test
    void hostnameIsThePodName() {
        try (RunningApp named = Httpbin.start(Httpbin.Config.fromEnv(Env.of(Map.of("PORT", "0", "POD_NAME", "httpbin-v2"))))) {
            assertThat(json(Http.get(named.baseUri().resolve("/hostname")))).isEqualTo(Map.of("hostname", "httpbin-v2"));
        }
        assertThat(json(Http.get(uri("/hostname")))).isEqualTo(Map.of("hostname", "httpbin"));
    }

    @Test
    void aSwitchedOnFaultAnswersEveryRequestButHealthUntilCleared() {
        try (RunningApp faulty = Httpbin.start(Httpbin.Config.fromEnv(Env.of(Map.of("PORT", "0"))))) {
            URI base = faulty.baseUri();
            assertThat(Http.send(Http.request(base.resolve("/fault/503")).POST(HttpRequest.BodyPublishers.noBody()))
                    .statusCode()).isEqualTo(200);
            assertThat(Http.get(base.resolve("/get")).statusCode()).isEqualTo(503);
            assertThat(Http.get(base.resolve("/status/200")).statusCode()).isEqualTo(503);
            assertThat(Http.get(base.resolve("/health")).statusCode()).isEqualTo(200);

            assertThat(Http.send(Http.request(base.resolve("/fault")).DELETE()).statusCode()).isEqualTo(204);
            assertThat(Http.get(base.resolve("/get")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFaultStatusOutside200To599IsRejected() {
        for (String bad : List.of("199", "600", "abc", "5033")) {
            HttpResponse<String> response =
                    Http.send(Http.request(uri("/fault/" + bad)).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(response)).as(bad).containsKey("error");
        }
        assertThat(Http.get(uri("/get")).statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndUnknownPaths() {
        assertThat(Http.get(uri("/health")).statusCode()).isEqualTo(200);
        assertThat(Http.get(uri("/nope")).statusCode()).isEqualTo(404);
    }

    private static URI uri(String pathAndQuery) {
        return httpbin.baseUri().resolve(pathAndQuery);
    }

    private static HttpResponse<byte[]> bytes(String path) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return (Map<String, Object>) Json.parse(response.body());
    }
}
