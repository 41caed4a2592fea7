package dev.weft.examples.httpbin;

import dev.weft.examples.app.AppMain;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.HttpApp;
import dev.weft.examples.app.Json;
import dev.weft.examples.app.ListenAddress;
import dev.weft.examples.app.Request;
import dev.weft.examples.app.Response;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.app.Routes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;

/** The subset of httpbin that Istio's tasks use, on port 8000 by default. */
public final class Httpbin {
    public static final String NAME = "httpbin";
    static final Duration MAX_DELAY = Duration.ofSeconds(10);
    static final int MAX_BYTES = 100 * 1024;
    static final int MAX_STREAM_LINES = 100;

    /**
     * @param listen   where to listen, env {@code BIND}/{@code PORT} (default 8000)
     * @param hostname what {@code /hostname} answers, env {@code POD_NAME} (default {@code httpbin}), as the pod
     *                 name is the host name of go-httpbin in Kubernetes
     */
    public record Config(ListenAddress listen, String hostname) {
        public static Config fromEnv(Env env) {
            return new Config(ListenAddress.fromEnv(env, 8000), env.text("POD_NAME", NAME));
        }
    }

    private final RandomGenerator random;

    private Httpbin(RandomGenerator random) {
        this.random = random;
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, AppMain.fromEnv(Config::fromEnv), Httpbin::start);
    }

    public static RunningApp start(Config config) {
        return start(config, RandomGenerator.getDefault());
    }

    /** With the random source that picks among {@code /status} codes and fills {@code /bytes}. */
    static RunningApp start(Config config, RandomGenerator random) {
        Httpbin httpbin = new Httpbin(random);
        Routes endpoints = Routes.builder()
                .get("/get", request -> Response.prettyJson(200, RequestEcho.basic(request)))
                .get("/headers", request -> Response.prettyJson(200, Map.of("headers", RequestEcho.headers(request))))
                .get("/ip", request -> Response.prettyJson(200, Map.of("origin", RequestEcho.origin(request))))
                .get("/user-agent", request -> Response.prettyJson(200,
                        Map.of("user-agent", request.header("User-Agent").orElse(""))))
                .anyMethod("/status/{codes}", httpbin::status)
                .get("/delay/{seconds}", Httpbin::delay)
                .anyMethod("/anything", request -> Response.prettyJson(200, RequestEcho.withBody(request)))
                .anyMethod("/anything/*", request -> Response.prettyJson(200, RequestEcho.withBody(request)))
                .get("/bytes/{n}", httpbin::bytes)
                .get("/stream/{n}", Httpbin::stream)
                .get("/hostname", request -> Response.prettyJson(200, Map.of("hostname", config.hostname())))
                .build();
        SwitchableFault fault = new SwitchableFault();
        Routes routes = Routes.builder()
                .post("/fault/{status}", fault::set)
                .delete("/fault", fault::clear)
                .anyMethod("*", fault.guard(endpoints::dispatch))
                .build();
        return HttpApp.start(NAME, config.listen(), routes);
    }

    private Response status(Request request) {
        int status;
        switch (StatusChoice.parse(request.pathParam("codes"))) {
            case StatusChoice.Invalid invalid -> {
                return error(invalid.message());
            }
            case StatusChoice.Valid valid -> status = valid.choice().pick(random);
        }
        Response response = Response.empty(status);
        if (status >= 300 && status < 400) {
            response = response.withHeader("Location", "/redirect/1");
        }
        return response;
    }

    private static Response delay(Request request) {
        Optional<Duration> delay = parseSeconds(request.pathParam("seconds"));
        if (delay.isEmpty() || delay.get().compareTo(MAX_DELAY) > 0) {
            return error("invalid delay \"" + request.pathParam("seconds") + "\": expected seconds from 0 to "
                    + MAX_DELAY.toSeconds());
        }
        try {
            Thread.sleep(delay.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.text(503, "server stopping\n");
        }
        return Response.prettyJson(200, RequestEcho.basic(request));
    }

    private Response bytes(Request request) {
        Optional<Integer> count = parseCount(request.pathParam("n"), MAX_BYTES);
        if (count.isEmpty()) {
            return error("invalid byte count \"" + request.pathParam("n") + "\": expected 0 to " + MAX_BYTES);
        }
        List<String> seed = request.query().getOrDefault("seed", List.of());
        RandomGenerator source = random;
        if (!seed.isEmpty()) {
            try {
                source = new Random(Long.parseLong(seed.getFirst()));
            } catch (NumberFormatException e) {
                return error("invalid seed \"" + seed.getFirst() + "\": expected an integer");
            }
        }
        byte[] body = new byte[count.get()];
        source.nextBytes(body);
        return Response.bytes(200, "application/octet-stream", body);
    }

    /** Up to 100 JSON lines, each the /get echo with its line number, sent chunked. */
    private static Response stream(Request request) {
        Optional<Integer> count = parseCount(request.pathParam("n"), Integer.MAX_VALUE);
        if (count.isEmpty()) {
            return error("invalid line count \"" + request.pathParam("n") + "\": expected a number >= 0");
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < Math.min(count.get(), MAX_STREAM_LINES); i++) {
            Map<String, Object> line = RequestEcho.basic(request);
            line.put("id", i);
            lines.append(Json.write(line)).append('\n');
        }
        return Response.bytes(200, "application/json", lines.toString().getBytes(StandardCharsets.UTF_8))
                .asChunked();
    }

    private static Response error(String message) {
        return Response.prettyJson(400, Map.of("status_code", 400, "error", message));
    }

    private static Optional<Duration> parseSeconds(String text) {
        try {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(MAX_DELAY.toSeconds())) > 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(seconds.movePointRight(3).longValue()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> parseCount(String text, int max) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int count = Integer.parseInt(text);
        return count <= max ? Optional.of(count) : Optional.empty();
    }
}
