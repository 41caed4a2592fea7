package dev.weft.testing.zipkin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Zipkin server ({@code io.zipkin:zipkin-server:3.6.1:exec}, in-memory storage) as a child process on an
 * ephemeral port, for tests that check what a proxy reports. The jar comes from the local Maven repository
 * (fetch it once with {@code ./mvnw dependency:get -Dartifact=io.zipkin:zipkin-server:3.6.1:jar:exec}) or from the
 * system property {@code weft.zipkin.server.jar}. Its port is read from the server's own "Serving HTTP at" line.
 */
public final class ZipkinServer implements AutoCloseable {

    public static final String VERSION = "3.6.1";
    private static final Pattern SERVING = Pattern.compile("Serving HTTP at /\\S*:(\\d+) ");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final List<String> output;
    private final HttpClient client = HttpClient.newHttpClient();

    private ZipkinServer(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** Where the server jar is expected. */
    public static Path jar() {
        String configured = System.getProperty("weft.zipkin.server.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        String repository = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return Path.of(repository, "io", "zipkin", "zipkin-server", VERSION, "zipkin-server-" + VERSION + "-exec.jar");
    }

    /** Starts the server and returns once it serves HTTP. */
    public static ZipkinServer start() {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Zipkin server jar not found at " + jar + ": fetch it with ./mvnw"
                    + " dependency:get -Dartifact=io.zipkin:zipkin-server:" + VERSION + ":jar:exec");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString()).redirectErrorStream(true);
        builder.environment().put("QUERY_PORT", "0");
        builder.environment().put("STORAGE_TYPE", "mem");
        try {
            Process process = builder.start();
            List<String> output = new ArrayList<>();
            int port = awaitPort(process, output);
            return new ZipkinServer(process, port, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the server's output until it names its port; a reader thread keeps draining it afterwards. */
    private static int awaitPort(Process process, List<String> output) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // Started in time.
            }
        });
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    Thread.ofPlatform().daemon().start(() -> drain(lines, output));
                    return Integer.parseInt(m.group(1));
                }
            }
            throw new IllegalStateException("Zipkin server exited before serving:\n" + String.join("\n", output));
        } finally {
            watchdog.interrupt();
        }
    }

    private static void drain(BufferedReader lines, List<String> output) {
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    public int port() {
        return port;
    }

    /** The server's JSON answer to a GET of its API, e.g. {@code /api/v2/trace/<id>}; null for a 404. */
    public String get(String path) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the server printed, for a failing test's message. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
