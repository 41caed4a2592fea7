package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.examples.fixture.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each app runs as its own small JVM, the way the local runtime starts it, and stops on SIGTERM. */
class SampleAppsProcessTest {
    private static final Pattern LISTENING = Pattern.compile("(\\S+) listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final int SIGTERM_EXIT_STATUS = 128 + 15;

    private Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftover() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void productpageStartsServesHealthAndStopsOnSigterm() throws InterruptedException {
        long launched = System.nanoTime();
        launch(Map.of("PORT", "0"), "productpage");

        int port = await().atMost(Duration.ofSeconds(10)).until(this::listeningPort, Optional::isPresent).orElseThrow();
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        assertThat(Http.get(health).statusCode()).isEqualTo(200);
        Duration startup = Duration.ofNanos(System.nanoTime() - launched);
        System.out.println("productpage JVM (-Xmx32m -XX:+UseSerialGC) served /health " + startup.toMillis()
                + "ms after launch");
        assertThat(startup).isLessThan(Duration.ofSeconds(5));

        // ProcessHandle.destroy sends SIGTERM without closing our ends of the pipes, so the last lines arrive.
        long terminated = System.nanoTime();
        assertThat(process.toHandle().destroy()).isTrue();

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(SIGTERM_EXIT_STATUS);
        System.out.println("productpage JVM exited " + Duration.ofNanos(System.nanoTime() - terminated).toMillis()
                + "ms after SIGTERM");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stdout)
                .anySatisfy(line -> assertThat(line).contains("GET /health HTTP/1.1\" 200"))
                .contains("productpage stopped"));
        assertThat(stderr).isEmpty();
    }

    @Test
    void badSettingsExitWithStatusTwoAndOneLine() throws InterruptedException {
        launch(Map.of("PORT", "eighty"), "details");

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stderr).containsExactly(
                "details: PORT=\"eighty\" is invalid: expected a port number from 0 to 65535"));
    }

    @Test
    void aTakenPortExitsWithStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            launch(Map.of("PORT", String.valueOf(taken.getLocalPort())), "ratings");

            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stderr).singleElement()
                    .asString().startsWith("ratings cannot listen on 127.0.0.1:" + taken.getLocalPort()));
        }
    }

    @Test
    void anUnknownAppNameShowsTheUsage() throws InterruptedException {
        launch(Map.of(), "bookstore");

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(String.join("\n", stderr))
                .contains("apps: curl, details, ext-authz, httpbin, productpage, ratings, reviews, tcp-echo"));
    }

    private void launch(Map<String, String> env, String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx32m", "-XX:+UseSerialGC",
                "-cp", classesDirectory(), SampleApps.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.equalsIgnoreCase("http_proxy"));
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        collect(process.getInputStream(), stdout);
        collect(process.getErrorStream(), stderr);
    }

    private Optional<Integer> listeningPort() {
        return stdout.stream().map(LISTENING::matcher).filter(Matcher::matches)
                .map(m -> Integer.parseInt(m.group(2))).findFirst();
    }

    private static void collect(InputStream stream, List<String> lines) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            } catch (IOException e) {
                lines.add("(stream closed: " + e + ")");
            }
        });
    }

    private static String classesDirectory() {
        try {
            return Path.of(SampleApps.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
