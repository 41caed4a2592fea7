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

/** Bookinfo's details service: the same book facts for every product id. */
public final class Details {
    public static final String NAME = "details";

    /** @param listen where to listen, env {@code BIND}/{@code PORT} (default 9080) */
    public record Config(ListenAddress listen) {
        public static Config fromEnv(Env env) {
            return new Config(ListenAddress.fromEnv(env, 9080));
        }
    }

    private Details() {
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, AppMain.fromEnv(Config::fromEnv), Details::start);
    }

    public static RunningApp start(Config config) {
        Routes routes = Routes.builder().get("/details/{id}", Details::details).build();
        return HttpApp.start(NAME, config.listen(), routes);
    }

    private static Response details(Request request) {
        OptionalInt id = ProductId.parse(request.pathParam("id"));
        if (id.isEmpty()) {
            return Response.json(400, Map.of("error", "please provide a numeric product id"));
        }
        Map<String, Object> book = new LinkedHashMap<>();
        book.put("id", id.getAsInt());
        book.put("author", "William Shakespeare");
        book.put("year", 1595);
        book.put("type", "paperback");
        book.put("pages", 200);
        book.put("publisher", "PublisherA");
        book.put("language", "English");
        book.put("ISBN-10", "1234567890");
        book.put("ISBN-13", "123-1234567890");
        return Response.json(200, book);
    }
}
