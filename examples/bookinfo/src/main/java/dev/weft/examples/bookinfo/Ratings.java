package dev.weft.examples.bookinfo;

import dev.weft.examples.app.AppMain;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.HttpApp;
import dev.weft.examples.app.ListenAddress;
import dev.weft.examples.app.Request;
import dev.weft.examples.app.Response;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.app.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Bookinfo's ratings service: every book has the same two ratings. */
public final class Ratings {
    public static final String NAME = "ratings";

    /** @param listen where to listen, env {@code BIND}/{@code PORT} (default 9080) */
    public record Config(ListenAddress listen) {
        public static Config fromEnv(Env env) {
            return new Config(ListenAddress.fromEnv(env, 9080));
        }
    }

    private Ratings() {
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, AppMain.fromEnv(Config::fromEnv), Ratings::start);
    }

    public static RunningApp start(Config config) {
        Routes routes = Routes.builder().get("/ratings/{id}", Ratings::ratings).build();
        return HttpApp.start(NAME, config.listen(), routes);
    }

    private static Response ratings(Request request) {
        OptionalInt id = ProductId.parse(request.pathParam("id"));
        if (id.isEmpty()) {
            return Response.json(400, Map.of("error", "please provide a numeric product id"));
        }
        Map<String, Object> stars = new LinkedHashMap<>();
        stars.put("Reviewer1", 5);
        stars.put("Reviewer2", 4);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.getAsInt());
        body.put("ratings", stars);
        return Response.json(200, body);
    }
}
