package dev.weft.examples.bookinfo;

import dev.weft.examples.app.AppMain;
import dev.weft.examples.app.Endpoint;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.HttpApp;
import dev.weft.examples.app.ListenAddress;
import dev.weft.examples.app.PeerClient;
import dev.weft.examples.app.PropagatedHeaders;
import dev.weft.examples.app.Request;
import dev.weft.examples.app.Response;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.app.Routes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Bookinfo's front end. The page calls details and reviews; a logged-in visitor's name goes to every call
 * as {@code end-user}, which is what Istio's routing samples match on.
 */
public final class ProductPage {
    public static final String NAME = "productpage";
    static final int MAX_USER_LENGTH = 64;
    private static final Duration ISTIO_CALL_TIMEOUT = Duration.ofSeconds(3);

    /**
     * @param detailsUrl     env {@code DETAILS_URL} (default http://details:9080)
     * @param reviewsUrl     env {@code REVIEWS_URL} (default http://reviews:9080)
     * @param ratingsUrl     env {@code RATINGS_URL} (default http://ratings:9080), for the ratings API
     * @param detailsTimeout env {@code DETAILS_TIMEOUT} (default 3s)
     * @param reviewsTimeout env {@code REVIEWS_TIMEOUT} (default 3s, per attempt; reviews is tried twice)
     * @param ratingsTimeout env {@code RATINGS_TIMEOUT} (default 3s)
     * @param httpProxy      env {@code HTTP_PROXY}: where outbound calls go when set
     */
    public record Config(
            ListenAddress listen, URI detailsUrl, URI reviewsUrl, URI ratingsUrl, Duration detailsTimeout,
            Duration reviewsTimeout, Duration ratingsTimeout, Optional<InetSocketAddress> httpProxy) {

        public static Config fromEnv(Env env) {
            return new Config(
                    ListenAddress.fromEnv(env, 9080),
                    env.baseUrl("DETAILS_URL", "http://details:9080"),
                    env.baseUrl("REVIEWS_URL", "http://reviews:9080"),
                    env.baseUrl("RATINGS_URL", "http://ratings:9080"),
                    env.duration("DETAILS_TIMEOUT", ISTIO_CALL_TIMEOUT),
                    env.duration("REVIEWS_TIMEOUT", ISTIO_CALL_TIMEOUT),
                    env.duration("RATINGS_TIMEOUT", ISTIO_CALL_TIMEOUT),
                    env.httpProxy());
        }
    }

    private final Backends backends;
    private final SessionCookie sessions;

    private ProductPage(Backends backends, SessionCookie sessions) {
        this.backends = backends;
        this.sessions = sessions;
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, AppMain.fromEnv(Config::fromEnv), ProductPage::start);
    }

    public static RunningApp start(Config config) {
        byte[] sessionKey = new byte[32];
        new SecureRandom().nextBytes(sessionKey);
        PeerClient client = PeerClient.create(config.httpProxy());
        ProductPage page = new ProductPage(new Backends(config, client), new SessionCookie(sessionKey));
        Routes routes = Routes.builder()
                .get("/", request -> Response.html(200, ProductPageView.index()))
                .get("/productpage", page::productPage)
                .post("/login", page::login)
                .get("/logout", page::logout)
                .get("/api/v1/products", request -> Response.json(200,
                        Product.CATALOGUE.stream().map(Product::toJson).toList()))
                .get("/api/v1/products/{id}", page.api(page.backends::details))
                .get("/api/v1/products/{id}/reviews", page.api(page.backends::reviews))
                .get("/api/v1/products/{id}/ratings", page.api(page.backends::ratings))
                .build();
        RunningApp app = HttpApp.start(NAME, config.listen(), routes, client);
        client.warmUp(app.baseUri().resolve("/health"));
        return app;
    }

    private Response productPage(Request request) {
        Optional<String> user = sessions.user(request.headers());
        PropagatedHeaders headers = outboundHeaders(request, user);
        Product product = Product.CATALOGUE.getFirst();
        Backends.Result details = backends.details(product.id(), headers);
        Backends.Result reviews = backends.reviews(product.id(), headers);
        return Response.html(200, ProductPageView.productPage(product, user, details, reviews));
    }

    /** Istio's productpage reads {@code username}; {@code user} is accepted too. */
    private Response login(Request request) {
        Map<String, List<String>> form = request.form();
        String user = firstValue(form, "username").or(() -> firstValue(form, "user")).orElse("").strip();
        Optional<String> problem = validateUser(user);
        if (problem.isPresent()) {
            return Response.html(400, ProductPageView.loginRejected(problem.get()));
        }
        return Response.found("/productpage").withHeader("Set-Cookie", sessions.issue(user));
    }

    private Response logout(Request request) {
        return Response.found("/productpage").withHeader("Set-Cookie", sessions.clear());
    }

    private interface BackendCall {
        Backends.Result call(int id, PropagatedHeaders headers);
    }

    /** An API endpoint passing a backend's status and document through, as Istio's productpage does. */
    private Endpoint api(BackendCall call) {
        return request -> {
            OptionalInt id = ProductId.parse(request.pathParam("id"));
            if (id.isEmpty()) {
                return Response.json(400, Map.of("error", "please provide a numeric product id"));
            }
            PropagatedHeaders headers = outboundHeaders(request, sessions.user(request.headers()));
            Backends.Result result = call.call(id.getAsInt(), headers);
            return Response.json(result.status(), result.json());
        };
    }

    private static PropagatedHeaders outboundHeaders(Request request, Optional<String> user) {
        PropagatedHeaders inbound = PropagatedHeaders.from(request.headers());
        return user.map(name -> inbound.with("end-user", name)).orElse(inbound);
    }

    /** A user name ends up in a header and a page, so it must be short and printable. */
    static Optional<String> validateUser(String user) {
        if (user.isEmpty()) {
            return Optional.of("A user name is required to sign in.");
        }
        if (user.length() > MAX_USER_LENGTH) {
            return Optional.of("A user name has at most " + MAX_USER_LENGTH + " characters.");
        }
        if (!user.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return Optional.of("A user name may hold only visible ASCII characters, without spaces.");
        }
        return Optional.empty();
    }

    private static Optional<String> firstValue(Map<String, List<String>> form, String name) {
        return form.getOrDefault(name, List.of()).stream().findFirst();
    }
}
