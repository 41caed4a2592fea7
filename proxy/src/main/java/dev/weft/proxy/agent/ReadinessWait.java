package dev.weft.proxy.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code weft-proxy wait}, Istio's {@code pilot-agent wait}: polls the proxy's readiness URL until it answers 200,
 * for a postStart hook that holds the app until its proxy is ready. Flags as Istio's: {@code --timeoutSeconds}
 * (60), {@code --periodMillis} (500), {@code --requestTimeoutMillis} (500), {@code --url}
 * ({@code http://localhost:15021/healthz/ready}).
 */
public final class ReadinessWait {

    private static final Map<String, String> DEFAULTS = Map.of("timeoutSeconds", "60", "periodMillis", "500",
            "requestTimeoutMillis", "500", "url", "http://localhost:15021/healthz/ready");

    private ReadinessWait() {
    }

    /** Returns the exit code: 0 ready, 1 not ready in time, 2 bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> flags = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println("usage: weft-proxy wait [--timeoutSeconds 60] [--periodMillis 500]"
                        + " [--requestTimeoutMillis 500] [--url http://localhost:15021/healthz/ready]\n\n"
                        + "Waits until the proxy is ready (its URL answers 200): exits 0 then, 1 on timeout.");
                return 0;
            }
            String name = arg.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!arg.startsWith("-") || !DEFAULTS.containsKey(name)) {
                err.println("weft-proxy wait: unknown argument " + arg + " (try --help)");
                return 2;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    err.println("weft-proxy wait: " + arg + " needs a value");
                    return 2;
                }
                value = args[++i];
            }
            flags.put(name, value);
        }
        Duration timeout;
        Duration period;
        Duration requestTimeout;
        URI url;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(flags.get("timeoutSeconds")));
            period = Duration.ofMillis(Long.parseLong(flags.get("periodMillis")));
            requestTimeout = Duration.ofMillis(Long.parseLong(flags.get("requestTimeoutMillis")));
            url = URI.create(flags.get("url"));
        } catch (IllegalArgumentException e) {
            err.println("weft-proxy wait: " + e.getMessage());
            return 2;
        }
        if (period.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            err.println("weft-proxy wait: --periodMillis and --requestTimeoutMillis must be positive");
            return 2;
        }
        out.println("Waiting for the proxy to be ready (timeout: " + timeout.toSeconds() + " seconds)...");
        String lastError = "no attempt made";
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(requestTimeout).build()) {
            while (true) {
                try {
                    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url)
                            .timeout(requestTimeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream body = response.body()) {
                        if (response.statusCode() == 200) {
                            out.println("The proxy is ready!");
                            return 0;
                        }
                        lastError = "HTTP status code " + response.statusCode() + " "
                                + new String(body.readNBytes(256), StandardCharsets.UTF_8).strip();
                    }
                } catch (IOException e) {
                    lastError = e.toString();
                }
                if (System.nanoTime() + period.toNanos() > deadline) {
                    break;
                }
                Thread.sleep(period);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastError = "interrupted";
        }
        err.println("weft-proxy wait: timeout waiting for the proxy to become ready at " + url + ". Last error: "
                + lastError);
        return 1;
    }
}
