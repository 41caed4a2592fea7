package dev.weft.examples.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.examples.app.Env;
import dev.weft.examples.app.Json;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import dev.weft.examples.fixture.RecordingPeer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReviewsTest {
    private final BookinfoStack stack = new BookinfoStack();

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void v1NeverCallsRatingsAndHasNoRating() {
        try (RecordingPeer ratings = RecordingPeer.replying(200, "{\"ratings\":{\"Reviewer1\":1}}")) {
            RunningApp reviews = stack.reviews("v1", ratings.baseUri());

            List<Map<String, Object>> all = reviews(reviews);

            assertThat(all).hasSize(2).allSatisfy(review -> assertThat(review).doesNotContainKey("rating"));
            assertThat(ratings.received()).isEmpty();
        }
    }

    @Test
    void v2AndV3ColourTheStarsTheyGetFromRatings() {
        RunningApp ratings = stack.ratings();

        assertThat(reviews(stack.reviews("v2", ratings.baseUri())))
                .extracting(review -> review.get("rating"))
                .containsExactly(Map.of("stars", 5L, "color", "black"), Map.of("stars", 4L, "color", "black"));
        assertThat(reviews(stack.reviews("v3", ratings.baseUri())))
                .extracting(review -> review.get("rating"))
                .containsExactly(Map.of("stars", 5L, "color", "red"), Map.of("stars", 4L, "color", "red"));
    }

    @Test
    void envOverridesTheColourAndThePodName() {
        RunningApp ratings = stack.ratings();
        RunningApp reviews = stack.reviews("v2", ratings.baseUri(), "STAR_COLOR", "green", "POD_NAME", "reviews-v2-x1");

        Map<String, Object> document = document(reviews);

        assertThat(document).containsEntry("podname", "reviews-v2-x1").containsEntry("version", "v2");
        assertThat(document.toString()).contains("color=green");
    }

    @Test
    void ratingsFailingOrSlowOrGarbledBecomesTheUnavailableNote() {
        Map<String, String> unavailable = Map.of("error", "Ratings service is currently unavailable");
        try (RecordingPeer failing = RecordingPeer.replying(500, "boom");
                RecordingPeer garbled = RecordingPeer.replying(200, "{\"ratings\":");
                RecordingPeer hanging = RecordingPeer.answering(new RecordingPeer.Hang())) {
            for (RecordingPeer ratings : List.of(failing, garbled, hanging)) {
                RunningApp reviews = stack.reviews("v3", ratings.baseUri(), "RATINGS_TIMEOUT", "150ms");

                assertThat(reviews(reviews)).extracting(review -> review.get("rating"))
                        .containsOnly(unavailable);
            }
        }
    }

    @Test
    void ratingsTimeoutsDefaultToIstiosValues() {
        assertThat(Reviews.Config.fromEnv(Env.of(Map.of("VERSION", "v2"))).ratingsTimeout())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(Reviews.Config.fromEnv(Env.of(Map.of("VERSION", "v3"))).ratingsTimeout())
                .isEqualTo(Duration.ofMillis(2500));
        Reviews.Config v1 = Reviews.Config.fromEnv(Env.of(Map.of()));
        assertThat(v1.version()).isEqualTo("v1");
        assertThat(v1.ratingsEnabled()).isFalse();
        assertThat(v1.ratingsUrl()).isEqualTo(URI.create("http://ratings:9080"));
        assertThat(v1.listen().port()).isEqualTo(9080);
    }

    @Test
    void badSettingsAreReportedByName() {
        assertThatThrownBy(() -> Reviews.Config.fromEnv(Env.of(Map.of("ENABLE_RATINGS", "maybe"))))
                .hasMessage("ENABLE_RATINGS=\"maybe\" is invalid: expected true or false");
        assertThatThrownBy(() -> Reviews.Config.fromEnv(Env.of(Map.of("RATINGS_TIMEOUT", "soon"))))
                .hasMessage("RATINGS_TIMEOUT=\"soon\" is invalid: expected a duration like 3s, 2.5s or 250ms");
    }

    @Test
    void aNonNumericIdIsABadRequest() {
        RunningApp reviews = stack.reviews("v1", URI.create("http://127.0.0.1:1"));

        HttpResponse<String> response = Http.get(reviews.baseUri().resolve("/reviews/abc"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("numeric product id");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(RunningApp reviews) {
        HttpResponse<String> response = Http.get(reviews.baseUri().resolve("/reviews/0"));
        assertThat(response.statusCode()).isEqualTo(200);
        return (Map<String, Object>) Json.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> reviews(RunningApp reviews) {
        return (List<Map<String, Object>>) document(reviews).get("reviews");
    }
}
