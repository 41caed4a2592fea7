package dev.weft.examples.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import dev.weft.examples.fixture.RecordingPeer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The context headers reach every hop: productpage to details and reviews, and reviews on to ratings. */
class HeaderPropagationTest {
    private static final String DETAILS_JSON = "{\"id\":0,\"author\":\"W\"}";
    private static final String RATINGS_JSON = "{\"id\":0,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}";

    private final BookinfoStack stack = new BookinfoStack();

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void productpageAndReviewsForwardEveryContextHeaderAndNothingElse() {
        Map<String, String> context = contextHeaders();
        try (RecordingPeer details = RecordingPeer.replying(200, DETAILS_JSON);
                RecordingPeer ratings = RecordingPeer.replying(200, RATINGS_JSON)) {
            RunningApp reviews = stack.reviews("v2", ratings.baseUri());
            RunningApp productPage = stack.productPage(details.baseUri(), reviews.baseUri());

            List<String> pairs = new ArrayList<>();
            context.forEach((name, value) -> {
                pairs.add(name);
                pairs.add(value);
            });
            pairs.addAll(List.of("x-not-context", "private"));
            String page = Http.get(productPage.baseUri().resolve("/productpage"), pairs.toArray(String[]::new)).body();

            assertThat(page).contains("<font color=\"black\">");
            for (RecordingPeer peer : List.of(details, ratings)) {
                RecordingPeer.Received received = peer.received().getFirst();
                context.forEach((name, value) -> assertThat(received.header(name)).as(name).isEqualTo(value));
                assertThat(received.header("x-not-context")).isNull();
            }
        }
    }

    @Test
    void aLoggedInUserReplacesAnInboundEndUser() {
        try (RecordingPeer details = RecordingPeer.replying(200, DETAILS_JSON);
                RecordingPeer ratings = RecordingPeer.replying(200, RATINGS_JSON)) {
            RunningApp reviews = stack.reviews("v3", ratings.baseUri());
            RunningApp productPage = stack.productPage(details.baseUri(), reviews.baseUri());
            String cookie = Http.send(Http.request(productPage.baseUri().resolve("/login"))
                            .POST(HttpRequest.BodyPublishers.ofString("username=jason")))
                    .headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

            Http.get(productPage.baseUri().resolve("/productpage"), "Cookie", cookie, "end-user", "mallory");

            assertThat(details.received().getFirst().headers().get("end-user")).containsExactly("jason");
            assertThat(ratings.received().getFirst().headers().get("end-user")).containsExactly("jason");
        }
    }

    private static Map<String, String> contextHeaders() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("x-request-id", "4f6c2a5e-2d6f-4d5b-9a0e-1c9c7f1d2e3a");
        values.put("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
        values.put("x-b3-spanid", "e457b5a2e4d86bd1");
        values.put("x-b3-parentspanid", "05e3ac9a4f6e3b90");
        values.put("x-b3-sampled", "1");
        values.put("x-b3-flags", "0");
        values.put("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1");
        values.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        values.put("tracestate", "congo=t61rcWkgMzE");
        values.put("x-ot-span-context", "80f198ee56343ba8;e457b5a2e4d86bd1;true");
        values.put("end-user", "jason");
        values.put("user-agent", "curl/8.5.0");
        return values;
    }
}
