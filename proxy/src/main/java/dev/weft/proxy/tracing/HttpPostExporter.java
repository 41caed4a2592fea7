package dev.weft.proxy.tracing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A collector that takes a batch as one HTTP POST: Zipkin's {@code /api/v2/spans} (JSON), OpenTelemetry's
 * {@code /v1/traces} (OTLP protobuf). Sent with the JDK HTTP client, which keeps its connections between batches.
 */
final class HttpPostExporter implements SpanExporter {

    private final String path;
    private final String contentType;
    private final Function<List<FinishedSpan>, byte[]> encoder;
    private final Duration timeout;
    private final HttpClient client;

    HttpPostExporter(String path, String contentType, Function<List<FinishedSpan>, byte[]> encoder, Duration timeout) {
        this.path = path.startsWith("/") ? path : "/" + path;
        this.contentType = contentType;
        this.encoder = encoder;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public boolean export(List<FinishedSpan> batch, InetSocketAddress collector)
            throws IOException, InterruptedException {
        String host = collector.getAddress().getHostAddress();
        URI uri = URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + collector.getPort() + path);
        HttpRequest post = HttpRequest.newBuilder(uri).timeout(timeout).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(encoder.apply(batch))).build();
        return client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
    }

    @Override
    public void close() {
        client.close();
    }
}
