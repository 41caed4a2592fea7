package dev.weft.examples.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.examples.fixture.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpAppTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final HttpApp app = HttpApp.start("demo", ListenAddress.loopbackAnyPort(), Routes.builder()
                    .get("/hello", request -> Response.text(200, "hi"))
                    .get("/boom", request -> {
                        throw new IllegalStateException("broken endpoint");
                    })
                    .post("/upload", request -> Response.text(200, "got " + request.body().length))
                    .build(),
            log, Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void logsOneLinePerRequest() {
        Http.get(app.baseUri().resolve("/hello?x=1"));
        Http.get(app.baseUri().resolve("/missing"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logLines()).containsExactly(
                "2026-01-02T03:04:05Z demo 127.0.0.1 \"GET /hello?x=1 HTTP/1.1\" 200 0ms host=127.0.0.1:" + app.port(),
                "2026-01-02T03:04:05Z demo 127.0.0.1 \"GET /missing HTTP/1.1\" 404 0ms host=127.0.0.1:" + app.port()));
    }

    @Test
    void healthIsBuiltIn() {
        HttpResponse<String> health = Http.get(app.baseUri().resolve("/health"));

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Json.parse(health.body())).isEqualTo(Map.of("status", "demo is healthy"));
    }

    @Test
    void aThrowingEndpointBecomesA500() {
        HttpResponse<String> response = Http.get(app.baseUri().resolve("/boom"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("internal error: IllegalStateException\n");
        assertThat(Http.get(app.baseUri().resolve("/hello")).body()).isEqualTo("hi");
    }

    @Test
    void anOversizedBodyIsA413() {
        HttpResponse<String> small = Http.send(Http.request(app.baseUri().resolve("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])));
        HttpResponse<String> large = Http.send(Http.request(app.baseUri().resolve("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(1 << 20) + 1])));

        assertThat(small.body()).isEqualTo("got 1000");
        assertThat(large.statusCode()).isEqualTo(413);
    }

    @Test
    void headAnswersWithoutABody() {
        HttpResponse<String> head = Http.send(Http.request(app.baseUri().resolve("/hello"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void closeWaitsForAnInFlightRequestWithoutInterruptingIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (HttpApp slow = HttpApp.start("slow", ListenAddress.loopbackAnyPort(), Routes.builder()
                .get("/wait", request -> {
                    entered.countDown();
                    try {
                        release.await();
                        return Response.text(200, "finished");
                    } catch (InterruptedException e) {
                        return Response.text(503, "interrupted");
                    }
                }).build(), log, Clock.systemUTC())) {
            CompletableFuture<HttpResponse<String>> response =
                    CompletableFuture.supplyAsync(() -> Http.get(slow.baseUri().resolve("/wait")));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(slow::close);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !closing.isDone());
            release.countDown();

            assertThat(response.get(5, TimeUnit.SECONDS).body()).isEqualTo("finished");
            closing.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeReleasesThePort() {
        int port = app.port();
        assertThat(Http.get(app.baseUri().resolve("/hello")).statusCode()).isEqualTo(200);

        app.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aTakenPortIsAClearError() {
        assertThatThrownBy(() -> HttpApp.start("second", new ListenAddress("127.0.0.1", app.port()),
                Routes.builder().build()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("second cannot listen on 127.0.0.1:" + app.port());
    }

    private List<String> logLines() {
        return logBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
