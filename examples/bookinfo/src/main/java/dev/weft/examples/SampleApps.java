package dev.weft.examples;

import dev.weft.examples.bookinfo.Details;
import dev.weft.examples.curl.Curl;
import dev.weft.examples.extauthz.ExtAuthz;
import dev.weft.examples.bookinfo.ProductPage;
import dev.weft.examples.bookinfo.Ratings;
import dev.weft.examples.bookinfo.Reviews;
import dev.weft.examples.httpbin.Httpbin;
import dev.weft.examples.tcpecho.TcpEcho;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The jar's entry point: {@code java -jar weft-bookinfo.jar <app> [args]} runs one sample app, so the
 * local runtime starts every app from the same jar with only the name changing.
 */
public final class SampleApps {
    static final Map<String, Consumer<String[]>> APPS = Map.of(
            ProductPage.NAME, ProductPage::main,
            Details.NAME, Details::main,
            Reviews.NAME, Reviews::main,
            Ratings.NAME, Ratings::main,
            Httpbin.NAME, Httpbin::main,
            TcpEcho.NAME, TcpEcho::main,
            Curl.NAME, Curl::main,
            ExtAuthz.NAME, ExtAuthz::main);

    private SampleApps() {
    }

    public static void main(String[] args) {
        Consumer<String[]> app = args.length == 0 ? null : APPS.get(args[0]);
        if (app == null) {
            System.err.println("usage: java -jar weft-bookinfo.jar <app> [args...]\napps: "
                    + String.join(", ", APPS.keySet().stream().sorted().toList()));
            System.exit(2);
            return;
        }
        app.accept(Arrays.copyOfRange(args, 1, args.length));
    }
}
