package dev.weft.testing.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class FakeHttpUpstreamTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void echoesTheRequestAndNamesItself() throws Exception {
        try (FakeHttpUpstream upstream = FakeHttpUpstream.start("a")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + upstream.port() + "/hello?x=1"))
                    .header("x-test", "yes").POST(HttpRequest.BodyPublishers.ofString("payload")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(FakeHttpUpstream.NAME_HEADER)).contains("a");
            assertThat(response.body()).startsWith("POST /hello?x=1 HTTP/1.1").contains("x-test: yes").endsWith("payload");
            assertThat(upstream.requests()).singleElement().satisfies(r -> {
                assertThat(r.header("X-Test")).isEqualTo("yes");
                assertThat(r.bodyText()).isEqualTo("payload");
            });
        }
    }

    @Test
    void answersStatusesInSequenceThenEchoes() throws Exception {
        try (FakeHttpUpstream upstream = FakeHttpUpstream.start("b").respondInSequence(503, 502)) {
            URI uri = URI.create("http://127.0.0.1:" + upstream.port() + "/");
            int[] statuses = new int[3];
            for (int i = 0; i < 3; i++) {
                statuses[i] = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            assertThat(statuses).containsExactly(503, 502, 200);
        }
    }

    @Test
    void statusHeaderControlsTheEcho() throws Exception {
        try (FakeHttpUpstream upstream = FakeHttpUpstream.start("c")) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + upstream.port() + "/")).header("x-fake-status", "418").build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(418);
        }
    }
}
