package dev.weft.examples.bookinfo;

import dev.weft.examples.app.AppMain;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.HttpApp;
import dev.weft.examples.app.Json;
import dev.weft.examples.app.ListenAddress;
import dev.weft.examples.app.PeerClient;
import dev.weft.examples.app.PeerReply;
import dev.weft.examples.app.PropagatedHeaders;
import dev.weft.examples.app.Request;
import dev.weft.examples.app.Response;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.app.Routes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Bookinfo's reviews service in its three versions: v1 shows no stars and never calls ratings, v2 asks
 * ratings and colours the stars black, v3 asks ratings (with a shorter timeout) and colours them red.
 */
public final class Reviews {
    public static final String NAME = "reviews";
    static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";

    private static final List<Map.Entry<String, String>> TEXTS = List.of(
            Map.entry("Reviewer1",
                    "A lively comedy of mistaken identities; the twin confusion never stops being funny."),
            Map.entry("Reviewer2", "Great fun to read aloud, though lighter in its themes than the later plays."));

    /**
     * @param version         env {@code VERSION} (default v1)
     * @param ratingsEnabled  env {@code ENABLE_RATINGS}; default false for v1, true otherwise
     * @param starColor       env {@code STAR_COLOR}; default red for v3, black otherwise
     * @param ratingsUrl      env {@code RATINGS_URL} (default http://ratings:9080)
     * @param ratingsTimeout  env {@code RATINGS_TIMEOUT}; default 2.5s for v3, 10s otherwise, as Istio's
     * @param httpProxy       env {@code HTTP_PROXY}: where outbound calls go when set
     * @param podName         env {@code POD_NAME} (default reviews-&lt;version&gt;), reported in each answer
     */
    public record Config(
            ListenAddress listen, String version, boolean ratingsEnabled, String starColor, URI ratingsUrl,
            Duration ratingsTimeout, Optional<InetSocketAddress> httpProxy, String podName) {

        public static Config fromEnv(Env env) {
            String version = env.text("VERSION", "v1");
            return new Config(
                    ListenAddress.fromEnv(env, 9080),
                    version,
                    env.flag("ENABLE_RATINGS", !version.equals("v1")),
                    env.text("STAR_COLOR", version.equals("v3") ? "red" : "black"),
                    env.baseUrl("RATINGS_URL", "http://ratings:9080"),
                    env.duration("RATINGS_TIMEOUT",
                            version.equals("v3") ? Duration.ofMillis(2500) : Duration.ofSeconds(10)),
                    env.httpProxy(),
                    env.text("POD_NAME", NAME + "-" + version));
        }
    }

    private final Config config;
    private final PeerClient peers;

    private Reviews(Config config, PeerClient peers) {
        this.config = config;
        this.peers = peers;
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, AppMain.fromEnv(Config::fromEnv), Reviews::start);
    }

    public static RunningApp start(Config config) {
        PeerClient peers = PeerClient.create(config.httpProxy());
        Reviews reviews = new Reviews(config, peers);
        Routes routes = Routes.builder().get("/reviews/{id}", reviews::reviews).build();
        RunningApp app = HttpApp.start(NAME, config.listen(), routes, peers);
        peers.warmUp(app.baseUri().resolve("/health"));
        return app;
    }

    private Response reviews(Request request) {
        OptionalInt id = ProductId.parse(request.pathParam("id"));
        if (id.isEmpty()) {
            return Response.json(400, Map.of("error", "please provide a numeric product id"));
        }
        Map<String, Integer> stars = config.ratingsEnabled()
                ? askRatings(id.getAsInt(), PropagatedHeaders.from(request.headers()))
                : Map.of();
        List<Object> reviews = TEXTS.stream().<Object>map(text -> review(text, stars)).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", String.valueOf(id.getAsInt()));
        body.put("podname", config.podName());
        body.put("version", config.version());
        body.put("reviews", reviews);
        return Response.json(200, body);
    }

    private Map<String, Object> review(Map.Entry<String, String> text, Map<String, Integer> stars) {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("reviewer", text.getKey());
        review.put("text", text.getValue());
        if (config.ratingsEnabled()) {
            Integer count = stars.get(text.getKey());
            review.put("rating", count == null
                    ? Map.of("error", RATINGS_UNAVAILABLE)
                    : Map.of("stars", count, "color", config.starColor()));
        }
        return review;
    }

    /** Reviewer to stars; empty when ratings did not answer usefully. */
    private Map<String, Integer> askRatings(int id, PropagatedHeaders headers) {
        URI uri = URI.create(config.ratingsUrl() + "/ratings/" + id);
        PeerReply reply = peers.get(uri, headers, config.ratingsTimeout());
        if (!(reply instanceof PeerReply.Answer answer) || !answer.ok()) {
            return Map.of();
        }
        try {
            if (Json.parse(answer.body()) instanceof Map<?, ?> body && body.get("ratings") instanceof Map<?, ?> all) {
                Map<String, Integer> stars = new LinkedHashMap<>();
                all.forEach((reviewer, count) -> {
                    if (count instanceof Number n && n.intValue() >= 0 && n.intValue() <= 5) {
                        stars.put(String.valueOf(reviewer), n.intValue());
                    }
                });
                return stars;
            }
        } catch (Json.JsonException e) {
            // A garbled answer counts as no answer; the page says ratings are unavailable.
        }
        return Map.of();
    }
}
