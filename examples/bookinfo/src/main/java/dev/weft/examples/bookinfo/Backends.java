package dev.weft.examples.bookinfo;

import dev.weft.examples.app.Json;
import dev.weft.examples.app.PeerClient;
import dev.weft.examples.app.PeerReply;
import dev.weft.examples.app.PropagatedHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * productpage's calls to details, reviews and ratings, with Istio's productpage behaviour: each call has a
 * timeout (3 s by default) and reviews gets one retry, so a slow reviews costs the page up to two timeouts.
 * A failed call becomes an error document, never an exception.
 */
final class Backends {
    static final String DETAILS_UNAVAILABLE = "Sorry, product details are currently unavailable for this book.";
    static final String REVIEWS_UNAVAILABLE = "Sorry, product reviews are currently unavailable for this book.";
    static final String RATINGS_UNAVAILABLE = "Sorry, product ratings are currently unavailable for this book.";
    private static final int REVIEWS_ATTEMPTS = 2;

    /**
     * A backend's answer as productpage passes it on.
     *
     * @param status the backend's status, or 500 when it did not answer
     * @param json   the backend's JSON document, or {@code {"error": "Sorry, ..."}}
     */
    record Result(int status, Object json) {
        boolean ok() {
            return status == 200;
        }
    }

    private final ProductPage.Config config;
    private final PeerClient client;

    Backends(ProductPage.Config config, PeerClient client) {
        this.config = config;
        this.client = client;
    }

    Result details(int id, PropagatedHeaders headers) {
        return call(URI.create(config.detailsUrl() + "/details/" + id), headers, config.detailsTimeout(), 1,
                DETAILS_UNAVAILABLE);
    }

    Result reviews(int id, PropagatedHeaders headers) {
        return call(URI.create(config.reviewsUrl() + "/reviews/" + id), headers, config.reviewsTimeout(),
                REVIEWS_ATTEMPTS, REVIEWS_UNAVAILABLE);
    }

    Result ratings(int id, PropagatedHeaders headers) {
        return call(URI.create(config.ratingsUrl() + "/ratings/" + id), headers, config.ratingsTimeout(), 1,
                RATINGS_UNAVAILABLE);
    }

    private Result call(URI uri, PropagatedHeaders headers, Duration timeout, int attempts, String unavailable) {
        int status = 500;
        for (int attempt = 0; attempt < attempts; attempt++) {
            PeerReply reply = client.get(uri, headers, timeout);
            if (reply instanceof PeerReply.Answer answer) {
                status = answer.status();
                if (answer.ok()) {
                    try {
                        return new Result(200, Json.parse(answer.body()));
                    } catch (Json.JsonException e) {
                        status = 500;
                    }
                }
            } else {
                status = 500;
            }
        }
        return new Result(status, Map.of("error", unavailable));
    }
}
