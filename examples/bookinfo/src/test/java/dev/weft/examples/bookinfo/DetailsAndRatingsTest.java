package dev.weft.examples.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.app.Json;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DetailsAndRatingsTest {
    private final BookinfoStack stack = new BookinfoStack();

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void detailsDescribesTheBookAskedFor() {
        RunningApp details = stack.details();

        HttpResponse<String> response = Http.get(details.baseUri().resolve("/details/7"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(Json.parse(response.body())).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("id", 7L)
                .containsEntry("author", "William Shakespeare")
                .containsEntry("ISBN-10", "1234567890");
    }

    @Test
    void ratingsGivesTheTwoReviewersStars() {
        RunningApp ratings = stack.ratings();

        HttpResponse<String> response = Http.get(ratings.baseUri().resolve("/ratings/0"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()))
                .isEqualTo(Map.of("id", 0L, "ratings", Map.of("Reviewer1", 5L, "Reviewer2", 4L)));
    }

    @Test
    void badIdsUnknownPathsAndWrongMethodsGetStatusCodes() {
        RunningApp details = stack.details();
        RunningApp ratings = stack.ratings();

        assertThat(Http.get(details.baseUri().resolve("/details/x")).statusCode()).isEqualTo(400);
        assertThat(Http.get(ratings.baseUri().resolve("/ratings/-1")).statusCode()).isEqualTo(400);
        assertThat(Http.get(details.baseUri().resolve("/nothing")).statusCode()).isEqualTo(404);
        HttpResponse<String> post = Http.send(Http.request(ratings.baseUri().resolve("/ratings/0"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void everyServiceAnswersHealth() {
        for (RunningApp app : new RunningApp[] {stack.details(), stack.ratings()}) {
            HttpResponse<String> health = Http.get(app.baseUri().resolve("/health"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains(app.name() + " is healthy");
        }
    }
}
