package dev.weft.examples.app;

/** Where an app listens: env {@code BIND} (default 127.0.0.1) and {@code PORT} (the app's default). */
public record ListenAddress(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public static ListenAddress fromEnv(Env env, int defaultPort) {
        return new ListenAddress(env.text("BIND", DEFAULT_HOST), env.port("PORT", defaultPort));
    }

    /** Any free port on loopback: what tests use. */
    public static ListenAddress loopbackAnyPort() {
        return new ListenAddress(DEFAULT_HOST, 0);
    }
}
