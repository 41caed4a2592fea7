package dev.weft.examples.bookinfo;

import dev.weft.examples.app.Env;
import dev.weft.examples.app.RunningApp;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts apps in-process on loopback port 0, wired to each other by URL, and stops them all at the end. */
final class BookinfoStack implements AutoCloseable {
    private final List<RunningApp> apps = new ArrayList<>();

    RunningApp details() {
        return track(Details.start(Details.Config.fromEnv(env())));
    }

    RunningApp ratings() {
        return track(Ratings.start(Ratings.Config.fromEnv(env())));
    }

    RunningApp reviews(String version, URI ratings, String... moreEnv) {
        return track(Reviews.start(Reviews.Config.fromEnv(
                env(append(moreEnv, "VERSION", version, "RATINGS_URL", ratings.toString())))));
    }

    RunningApp productPage(URI details, URI reviews, String... moreEnv) {
        return track(ProductPage.start(ProductPage.Config.fromEnv(
                env(append(moreEnv, "DETAILS_URL", details.toString(), "REVIEWS_URL", reviews.toString())))));
    }

    /** The whole Bookinfo with the given reviews version; returns productpage. */
    RunningApp bookinfo(String reviewsVersion) {
        RunningApp ratings = ratings();
        RunningApp reviews = reviews(reviewsVersion, ratings.baseUri());
        return productPage(details().baseUri(), reviews.baseUri());
    }

    @Override
    public void close() {
        apps.reversed().forEach(RunningApp::close);
    }

    private RunningApp track(RunningApp app) {
        apps.add(app);
        return app;
    }

    /** Name/value pairs; earlier pairs win, so a test's own settings override the stack's defaults. */
    static Env env(String... pairs) {
        Map<String, String> map = new HashMap<>();
        map.put("PORT", "0");
        for (int i = pairs.length - 2; i >= 0; i -= 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Env.of(map);
    }

    private static String[] append(String[] first, String... then) {
        String[] all = new String[first.length + then.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(then, 0, all, first.length, then.length);
        return all;
    }
}
