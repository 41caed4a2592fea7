package dev.weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing slow runs on a data-plane event loop: access log lines go through a bounded queue to one writer thread,
 * and admin endpoints run on the admin's own thread. Each proxy here has a single event loop, so anything that
 * blocked it would stall every request.
 */
@Timeout(60) // the old, blocking access log hung the proxy's start on the FIFO
class EventLoopIsolationTest {

    private static final int REQUESTS = 40;
    private static final int QUEUE = 8;

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    private void start(String hcmExtras) {
        proxy = ProxyHarness.start(Bootstraps.http(hcmExtras, Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())),
                ProxyOptions.defaults().withWorkerThreads(1).withRandomSeed(5).withAccessLogQueue(QUEUE));
    }

    /**
     * The access log is a FIFO nobody reads yet, so the writer thread blocks opening it: requests are still
     * answered, lines past the queue are dropped and counted, and the queued ones arrive once a reader comes.
     */
    @Test
    void aBlockedAccessLogDoesNotStallRequests() throws Exception {
        Path fifo = dir.resolve("access.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        start(Bootstraps.indent("""
                access_log:
                - name: envoy.access_loggers.file
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: "%s" }
                """.formatted(fifo), 10));

        for (int i = 0; i < REQUESTS; i++) {
            assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
        }
        long dropped = proxy.server().stats().value("access_log.dropped");
        // The writer took what was queued when it woke (at most a queue's worth) before blocking on the FIFO.
        assertThat(dropped).as("at most the queue and the lines in the writer's hands are kept")
                .isGreaterThanOrEqualTo(REQUESTS - 2L * QUEUE);

        List<String> read = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = Files.newBufferedReader(fifo, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (read) {
                        read.add(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (read) {
                return read.size() == REQUESTS - dropped;
            }
        });
        synchronized (read) {
            assertThat(read.get(0)).contains("\"GET /r0 HTTP/1.1\" 200");
        }
        proxy.close();
        proxy = null;
        reader.join(Duration.ofSeconds(10));
        assertThat(reader.isAlive()).as("the writer closed the FIFO when the proxy stopped").isFalse();
    }

    /**
     * /ready needs the listener manager's lock (for warming listeners); while a test thread holds it, that admin
     * request waits, traffic does not.
     */
    @Test
    void aSlowAdminEndpointDoesNotStallTraffic() throws Exception {
        start("");
        CompletableFuture<HttpResponse<String>> ready;
        synchronized (proxy.server().listeners()) {
            ready = proxy.client().sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxy.server().adminPort() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(EventLoopIsolationTest::adminThreadBlocked);
            for (int i = 0; i < 10; i++) {
                assertThat(proxy.get("/while-admin-waits").statusCode()).isEqualTo(200);
            }
            assertThat(ready).isNotDone();
        }
        assertThat(ready.get().body()).isEqualTo("LIVE\n");
    }

    private static boolean adminThreadBlocked() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("weft-admin") && t.getState() == Thread.State.BLOCKED);
    }
}
