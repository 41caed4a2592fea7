package dev.weft.examples.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import dev.weft.examples.fixture.RecordingProxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Explicit capture mode: with HTTP_PROXY set, the apps keep calling {@code http://details:9080} and the like,
 * and every call reaches the proxy (the sidecar's place) in absolute form with the peer's name as Host.
 */
class ExplicitProxyTest {
    private final BookinfoStack stack = new BookinfoStack();

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void everyOutboundCallGoesThroughTheProxyByServiceName() {
        RunningApp details = stack.details();
        RunningApp ratings = stack.ratings();
        Map<String, URI> routes = new HashMap<>(Map.of(
                "details:9080", details.baseUri(),
                "ratings:9080", ratings.baseUri()));
        try (RecordingProxy proxy = new RecordingProxy(routes)) {
            RunningApp reviews = stack.reviews("v3", URI.create("http://ratings:9080"), "HTTP_PROXY", proxy.address());
            routes.put("reviews:9080", reviews.baseUri());
            try (RecordingProxy sidecar = new RecordingProxy(routes)) {
                RunningApp productPage = stack.productPage(
                        URI.create("http://details:9080"), URI.create("http://reviews:9080"),
                        "http_proxy", sidecar.address().replace("http://", ""));

                String page = Http.get(productPage.baseUri().resolve("/productpage")).body();

                assertThat(page).contains("ISBN-10", "<font color=\"red\">");
                assertThat(sidecar.seen()).containsExactly(
                        new RecordingProxy.Seen("GET", URI.create("http://details:9080/details/0"), "details:9080"),
                        new RecordingProxy.Seen("GET", URI.create("http://reviews:9080/reviews/0"), "reviews:9080"));
                assertThat(proxy.seen()).containsExactly(
                        new RecordingProxy.Seen("GET", URI.create("http://ratings:9080/ratings/0"), "ratings:9080"));
            }
        }
    }

    @Test
    void withoutAProxyAnUnresolvableNameIsReportedAsUnavailable() {
        RunningApp productPage = stack.productPage(
                URI.create("http://details.invalid:9080"), URI.create("http://reviews.invalid:9080"));

        String page = Http.get(productPage.baseUri().resolve("/productpage")).body();

        assertThat(page).contains("Sorry, product details are currently unavailable for this book.",
                "Sorry, product reviews are currently unavailable for this book.");
    }
}
