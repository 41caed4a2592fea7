package dev.weft.examples.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.app.Json;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import dev.weft.examples.fixture.RecordingPeer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProductPageTest {
    private static final String REVIEWS_JSON = """
            {"id":"0","podname":"reviews-v2","version":"v2","reviews":[
            {"reviewer":"Reviewer1","text":"good","rating":{"stars":5,"color":"black"}}]}""";

    private final BookinfoStack stack = new BookinfoStack();

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void reviewsV1ShowsNoStars() {
        String page = page(stack.bookinfo("v1"));

        assertThat(page).contains("The Comedy of Errors", "ISBN-10", "1234567890", "Reviewer1", "Reviewer2")
                .contains("<span id=\"reviews-version\">v1</span>")
                .doesNotContain("<font color=", "&#9733;");
    }

    @Test
    void reviewsV2ShowsBlackStars() {
        String page = page(stack.bookinfo("v2"));

        assertThat(page).contains("<font color=\"black\">&#9733;&#9733;&#9733;&#9733;&#9733;</font>")
                .contains("<font color=\"black\">&#9733;&#9733;&#9733;&#9733;&#9734;</font>")
                .contains("<span id=\"reviews-version\">v2</span>")
                .doesNotContain("<font color=\"red\">");
    }

    @Test
    void reviewsV3ShowsRedStars() {
        String page = page(stack.bookinfo("v3"));

        assertThat(page).contains("<font color=\"red\">&#9733;&#9733;&#9733;&#9733;&#9733;</font>")
                .contains("<span id=\"reviews-version\">v3</span>")
                .doesNotContain("<font color=\"black\">");
    }

    @Test
    void loginSendsEndUserToReviewsAndLogoutStopsIt() {
        try (RecordingPeer reviews = RecordingPeer.replying(200, REVIEWS_JSON)) {
            RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri());

            HttpResponse<String> login = Http.send(Http.request(productPage.baseUri().resolve("/login"),
                    "Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=jason&passwd=")));
            assertThat(login.statusCode()).isEqualTo(302);
            assertThat(login.headers().firstValue("Location")).hasValue("/productpage");
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

            HttpResponse<String> signedIn = Http.get(productPage.baseUri().resolve("/productpage"), "Cookie", cookie);
            assertThat(signedIn.body()).contains("Signed in as <b id=\"user\">jason</b>");
            assertThat(reviews.received()).last().extracting(r -> r.header("end-user")).isEqualTo("jason");

            HttpResponse<String> logout = Http.get(productPage.baseUri().resolve("/logout"), "Cookie", cookie);
            assertThat(logout.statusCode()).isEqualTo(302);
            assertThat(logout.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("session=;").contains("Max-Age=0"));

            Http.get(productPage.baseUri().resolve("/productpage"));
            assertThat(reviews.received()).last().extracting(r -> r.header("end-user")).isNull();
        }
    }

    @Test
    void loginAcceptsTheUserField() {
        try (RecordingPeer reviews = RecordingPeer.replying(200, REVIEWS_JSON)) {
            RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri());
            String cookie = login(productPage, "user=tester");

            Http.get(productPage.baseUri().resolve("/productpage"), "Cookie", cookie);

            assertThat(reviews.received()).last().extracting(r -> r.header("end-user")).isEqualTo("tester");
        }
    }

    @Test
    void loginRejectsAMissingOrUnprintableUserName() {
        RunningApp productPage = stack.bookinfo("v1");

        for (String form : List.of("username=", "passwd=x", "username=a%0D%0Ab", "username=" + "x".repeat(65))) {
            HttpResponse<String> response = Http.send(Http.request(productPage.baseUri().resolve("/login"))
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            assertThat(response.statusCode()).as(form).isEqualTo(400);
            assertThat(response.headers().firstValue("Set-Cookie")).as(form).isEmpty();
        }
    }

    @Test
    void aForgedSessionCookieIsIgnored() {
        try (RecordingPeer reviews = RecordingPeer.replying(200, REVIEWS_JSON)) {
            RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri());
            String cookie = login(productPage, "username=jason");
            String forged = cookie.replaceFirst("=[^.]+", "=" + Base64.getUrlEncoder()
                    .withoutPadding().encodeToString("admin".getBytes(StandardCharsets.UTF_8)));

            String page = Http.get(productPage.baseUri().resolve("/productpage"), "Cookie", forged).body();

            assertThat(page).doesNotContain("Signed in as");
            assertThat(reviews.received()).last().extracting(r -> r.header("end-user")).isNull();
        }
    }

    @Test
    void slowReviewsIsTriedTwiceThenReportedUnavailable() {
        try (RecordingPeer reviews = RecordingPeer.answering(new RecordingPeer.Hang())) {
            RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri(),
                    "REVIEWS_TIMEOUT", "200ms");

            long start = System.nanoTime();
            String page = page(productPage);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(page).contains("Sorry, product reviews are currently unavailable for this book.")
                    .contains("ISBN-13");
            assertThat(reviews.received()).hasSize(2);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aFailedReviewsCallIsRetriedOnce() {
        try (RecordingPeer reviews = RecordingPeer.answering(
                new RecordingPeer.Reply(503, "upstream connect error"), new RecordingPeer.Reply(200, REVIEWS_JSON))) {
            RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri());

            String page = page(productPage);

            assertThat(page).contains("good", "<font color=\"black\">").doesNotContain("Sorry");
            assertThat(reviews.received()).hasSize(2);
        }
    }

    @Test
    void detailsDownShowsItsErrorAndTheRestOfThePage() {
        RunningApp ratings = stack.ratings();
        RunningApp reviews = stack.reviews("v2", ratings.baseUri());
        RunningApp productPage = stack.productPage(
                URI.create("http://127.0.0.1:" + Http.closedPort()), reviews.baseUri());

        String page = page(productPage);

        assertThat(page).contains("Sorry, product details are currently unavailable for this book.")
                .contains("<font color=\"black\">");
    }

    @Test
    void slowDetailsTimesOutOnceWithoutRetry() {
        try (RecordingPeer details = RecordingPeer.answering(new RecordingPeer.Hang())) {
            RunningApp reviews = stack.reviews("v1", URI.create("http://127.0.0.1:1"));
            RunningApp productPage = stack.productPage(details.baseUri(), reviews.baseUri(),
                    "DETAILS_TIMEOUT", "150ms");

            assertThat(page(productPage)).contains("Sorry, product details are currently unavailable for this book.");
            assertThat(details.received()).hasSize(1);
        }
    }

    @Test
    void reviewsWithoutRatingsShowsTheRatingsError() {
        RunningApp reviews = stack.reviews("v3", URI.create("http://127.0.0.1:" + Http.closedPort()));
        RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri());

        assertThat(page(productPage)).contains("<i>Ratings service is currently unavailable</i>")
                .doesNotContain("<font color=");
    }

    @Test
    void apiServesProductsAndPassesBackendAnswersThrough() {
        RunningApp ratings = stack.ratings();
        RunningApp reviews = stack.reviews("v2", ratings.baseUri());
        RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri(),
                "RATINGS_URL", ratings.baseUri().toString());
        URI api = productPage.baseUri().resolve("/api/v1/products");

        assertThat(Json.parse(Http.get(api).body()))
                .asInstanceOf(InstanceOfAssertFactories.LIST).singleElement()
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("id", 0L).containsEntry("title", "The Comedy of Errors");
        assertThat(json(productPage, "/api/v1/products/0")).containsEntry("author", "William Shakespeare");
        assertThat(json(productPage, "/api/v1/products/0/reviews")).containsEntry("podname", "reviews-v2");
        assertThat(json(productPage, "/api/v1/products/0/ratings"))
                .containsEntry("ratings", Map.of("Reviewer1", 5L, "Reviewer2", 4L));
        assertThat(Http.get(productPage.baseUri().resolve("/api/v1/products/zero")).statusCode()).isEqualTo(400);
    }

    @Test
    void apiReportsAnUnavailableBackendWithItsStatus() {
        try (RecordingPeer reviews = RecordingPeer.replying(503, "no healthy upstream")) {
            RunningApp productPage = stack.productPage(stack.details().baseUri(), reviews.baseUri());

            HttpResponse<String> response = Http.get(productPage.baseUri().resolve("/api/v1/products/0/reviews"));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(Json.parse(response.body()))
                    .isEqualTo(Map.of("error", "Sorry, product reviews are currently unavailable for this book."));
        }
    }

    @Test
    void concurrentPageLoadsAllSucceed() throws Exception {
        RunningApp productPage = stack.bookinfo("v3");
        int requests = 60;

        List<CompletableFuture<String>> pages = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < requests; i++) {
                pages.add(CompletableFuture.supplyAsync(() -> page(productPage), clients));
            }
            for (CompletableFuture<String> page : pages) {
                assertThat(page.get(20, TimeUnit.SECONDS)).contains("<font color=\"red\">", "ISBN-13");
            }
        }
    }

    @Test
    void indexAndHealthAnswer() {
        RunningApp productPage = stack.bookinfo("v1");

        assertThat(Http.get(productPage.baseUri()).body()).contains("href=\"/productpage\"");
        HttpResponse<String> health = Http.get(productPage.baseUri().resolve("/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("productpage is healthy");
    }

    private static String page(RunningApp productPage) {
        HttpResponse<String> response = Http.get(productPage.baseUri().resolve("/productpage"));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String login(RunningApp productPage, String form) {
        HttpResponse<String> login = Http.send(Http.request(productPage.baseUri().resolve("/login"))
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(login.statusCode()).isEqualTo(302);
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(RunningApp app, String path) {
        HttpResponse<String> response = Http.get(app.baseUri().resolve(path));
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return (Map<String, Object>) Json.parse(response.body());
    }
}
