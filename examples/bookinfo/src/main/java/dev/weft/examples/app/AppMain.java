package dev.weft.examples.app;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The process life of a sample app: read settings from the environment, start, print one
 * {@code <app> listening on <host>:<port>} line (the runtime reads the port from it when it asked for 0),
 * and on SIGTERM stop through a shutdown hook. Bad settings exit with status 2 and a one-line message.
 */
public final class AppMain {
    /** Exit status for settings that cannot be used. */
    public static final int EXIT_BAD_SETTINGS = 2;
    /** Exit status for an app that could not start, such as a port already in use. */
    public static final int EXIT_START_FAILED = 1;

    /** Builds an app's config from its environment and command-line arguments. */
    @FunctionalInterface
    public interface Settings<C> {
        C read(Env env, List<String> args);
    }

    /** Starts an app from its config. */
    @FunctionalInterface
    public interface Starter<C> {
        RunningApp start(C config);
    }

    private AppMain() {
    }

    public static <C> void run(String name, String[] args, Settings<C> settings, Starter<C> starter) {
        C config;
        try {
            config = settings.read(Env.of(System.getenv()), List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
            return;
        }
        RunningApp app;
        try {
            app = starter.start(config);
        } catch (UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_START_FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            System.out.println(name + " stopped");
            stopped.countDown();
        }, name + "-shutdown"));
        System.out.println(name + " listening on " + app.host() + ":" + app.port());
        awaitQuietly(stopped);
    }

    /** Convenience for the many apps whose settings do not depend on arguments. */
    public static <C> Settings<C> fromEnv(Function<Env, C> read) {
        return (env, args) -> read.apply(env);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
