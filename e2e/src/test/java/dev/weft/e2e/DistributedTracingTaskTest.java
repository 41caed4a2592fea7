package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.testing.zipkin.ZipkinServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's Zipkin task on the Bookinfo mesh: meshConfig names a zipkin extension provider (the real Zipkin server,
 * a ServiceEntry on loopback) as the default tracing provider with 100% sampling; a request through the ingress
 * gateway becomes one trace in Zipkin with a span per proxy, each SERVER span the child of its caller's CLIENT
 * span, every span tagged with its workload's canonical service. The apps only forward the headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedTracingTaskTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir static Path stateDir;
  @TempDir static Path work;
  private ZipkinServer zipkin;
  private RunningMesh mesh;

  @BeforeAll
  void up() throws IOException {
    zipkin = ZipkinServer.start();
    Path meshDir = Files.createDirectory(work.resolve("mesh"));
    try (Stream<Path> files = Files.list(Weft.BOOKINFO_MESH)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, meshDir.resolve(file.getFileName()));
      }
    }
    Files.writeString(meshDir.resolve("meshconfig.yaml"), Files.readString(meshDir.resolve("meshconfig.yaml")) + """
        extensionProviders:
        - name: zipkin
          zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}
        defaultProviders: {tracing: [zipkin]}
        defaultConfig: {tracing: {sampling: 100}}
        """);
    Files.writeString(meshDir.resolve("zipkin.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: zipkin, namespace: istio-system}
        spec:
          hosts: [zipkin.istio-system.svc.cluster.local]
          location: MESH_EXTERNAL
          ports: [{number: 9411, name: http-query, protocol: HTTP}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: {http-query: %d}}]
        """.formatted(zipkin.port()));
    mesh = RunningMesh.up(meshDir, stateDir, 31);
  }

  @AfterAll
  void down() {
    if (mesh != null) {
      mesh.down();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  private static String hex(int bytes) {
    byte[] id = new byte[bytes];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** A sampled request to the product page with a trace id of the test's choosing; the id when it was answered. */
  private Optional<String> productPage(String caller) {
    String traceId = hex(16);
    Http.Reply reply = Http.get(mesh.ingress() + "productpage", Map.of("x-b3-traceid", traceId,
        "x-b3-spanid", caller, "x-b3-sampled", "1"));
    return reply.status() == 200 ? Optional.of(traceId) : Optional.empty();
  }

  private List<JsonNode> spans(String traceId) throws IOException {
    String body = zipkin.get("/api/v2/trace/" + traceId);
    List<JsonNode> spans = new ArrayList<>();
    if (body != null) {
      JSON.readTree(body).forEach(spans::add);
    }
    return spans;
  }

  private static JsonNode span(List<JsonNode> spans, String kind, String service, String parentId) {
    return spans.stream()
        .filter(s -> s.path("kind").asText().equals(kind)
            && s.path("tags").path("istio.canonical_service").asText().equals(service)
            && s.path("parentId").asText().equals(parentId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " span of " + service + " under " + parentId + " in "
            + spans));
  }

  @Test
  void aRequestThroughTheGatewayIsOneTraceDownToRatings() {
    String caller = hex(8);
    AtomicReference<List<JsonNode>> trace = new AtomicReference<>();
    // Reviews v1 does not call ratings: ask until a request's trace reaches ratings (v2 and v3 do).
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      String traceId = productPage(caller).orElseThrow(() -> new AssertionError("product page not served"));
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        List<JsonNode> spans = spans(traceId);
        assertThat(spans).as("trace %s", traceId)
            .anyMatch(s -> s.path("tags").path("istio.canonical_service").asText().equals("productpage")
                && s.path("kind").asText().equals("CLIENT") && s.path("name").asText().contains("reviews"));
        trace.set(spans);
      });
      assertThat(trace.get()).anyMatch(s -> s.path("tags").path("istio.canonical_service").asText().equals("ratings"));
      trace.set(awaitSettled(traceId));
    });
    List<JsonNode> spans = trace.get();

    JsonNode gateway = spans.stream().filter(s -> s.path("parentId").asText().equals(caller)).findFirst()
        .orElseThrow(() -> new AssertionError("no span under the caller's " + caller + ": " + spans));
    assertThat(gateway.path("kind").asText()).isEqualTo("SERVER");
    JsonNode productpage = span(spans, "SERVER", "productpage", gateway.path("id").asText());
    JsonNode toReviews = call(spans, productpage, "reviews");
    JsonNode reviews = span(spans, "SERVER", "reviews", toReviews.path("id").asText());
    JsonNode ratings = span(spans, "SERVER", "ratings", call(spans, reviews, "ratings").path("id").asText());
    assertThat(ratings.path("tags").path("http.status_code").asText()).isEqualTo("200");
    span(spans, "SERVER", "details", call(spans, productpage, "details").path("id").asText());
    for (JsonNode span : spans) {
      String service = span.path("localEndpoint").path("serviceName").asText();
      assertThat(span.path("tags").path("istio.canonical_service").asText()).as("span %s", span)
          .isEqualTo(service.substring(0, service.indexOf('.')));
      assertThat(span.path("tags").path("istio.namespace").asText()).isNotEmpty();
      assertThat(span.path("tags").path("guid:x-request-id").asText()).isEqualTo(gateway.path("tags")
          .path("guid:x-request-id").asText());
    }
  }

  /** The CLIENT span of a workload's call to a service, the child of the workload's SERVER span. */
  private static JsonNode call(List<JsonNode> spans, JsonNode server, String service) {
    return spans.stream()
        .filter(s -> s.path("kind").asText().equals("CLIENT")
            && s.path("parentId").asText().equals(server.path("id").asText())
            && s.path("name").asText().startsWith("egress " + service))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no call to " + service + " under " + server + " in " + spans));
  }

  /** The trace once every proxy has reported (8 spans: gateway, productpage in and two out, details, reviews in and
   * out, ratings). */
  private List<JsonNode> awaitSettled(String traceId) {
    AtomicReference<List<JsonNode>> settled = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      List<JsonNode> spans = spans(traceId);
      assertThat(spans).hasSize(8);
      settled.set(spans);
    });
    return settled.get();
  }
}
