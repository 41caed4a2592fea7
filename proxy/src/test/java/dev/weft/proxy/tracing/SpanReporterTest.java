package dev.weft.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.weft.proxy.stats.Stats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpanReporterTest {

    private static final FinishedSpan SPAN = new FinishedSpan("48485a3953bb6124", 1, 0, SpanKind.SERVER, "ingress",
            1_700_000_000_000_000L, 5, "reviews.default", "127.0.0.1", false, Map.of("component", "proxy"));

    private static SpanExporter zipkinJson() {
        return new HttpPostExporter("/api/v2/spans", "application/json", ZipkinJson::encode, Duration.ofSeconds(5));
    }

    @Test
    void aFullQueueDropsSpansAndCountsThemWithoutBlocking() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket silentCollector = new ServerSocket(0, 50, loopback)) {
            Stats stats = new Stats();
            SpanReporter reporter = new SpanReporter("zipkin", "zipkin", zipkinJson(),
                    cluster -> new InetSocketAddress(loopback, silentCollector.getLocalPort()), stats, 1);
            try {
                reporter.report(SPAN);
                // The reporter has taken the first span and waits for a collector that never answers.
                try (Socket sending = silentCollector.accept()) {
                    reporter.report(SPAN);
                    reporter.report(SPAN);
                    reporter.report(SPAN);

                    assertThat(stats.value("tracing.zipkin.spans_dropped")).isEqualTo(2);
                    assertThat(stats.value("tracing.zipkin.spans_sent")).isZero();
                }
            } finally {
                reporter.close();
            }
        }
    }

    /** Spans that arrive together leave together: 100 spans are a POST or two, not a hundred. */
    @Test
    void spansAreBatchedIntoFewPosts() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        HttpServer collector = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        AtomicInteger posts = new AtomicInteger();
        AtomicInteger spans = new AtomicInteger();
        collector.createContext("/api/v2/spans", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.incrementAndGet();
            spans.addAndGet(body.split("\"traceId\"", -1).length - 1);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        collector.start();
        Stats stats = new Stats();
        SpanReporter reporter = new SpanReporter("zipkin", "zipkin", zipkinJson(),
                cluster -> collector.getAddress(), stats, 1024);
        try {
            for (int i = 0; i < 100; i++) {
                reporter.report(SPAN);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.get()).isEqualTo(100));
            assertThat(posts.get()).isBetween(1, 2);
            assertThat(stats.value("tracing.zipkin.spans_sent")).isEqualTo(100);

            reporter.report(SPAN);
            await("a lone span is sent after the flush interval").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(spans.get()).isEqualTo(101));
        } finally {
            reporter.close();
            collector.stop(0);
        }
    }

    @Test
    void spansForAClusterWithoutEndpointsAreCountedAsSkipped() {
        Stats stats = new Stats();
        SpanReporter reporter = new SpanReporter("zipkin", "zipkin", zipkinJson(), cluster -> null, stats, 16);
        try {
            reporter.report(SPAN);

            await().untilAsserted(() ->
                    assertThat(stats.value("tracing.zipkin.reports_skipped_no_cluster")).isEqualTo(1));
        } finally {
            reporter.close();
        }
    }
}
