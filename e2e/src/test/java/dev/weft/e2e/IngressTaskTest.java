package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's ingress tasks at the ingress gateway (examples/ingress/mesh): the httpbin "ingress gateways" task
 * (host httpbin.example.com, only /status and /delay, 404 for any other host or path, from the gateway itself),
 * then Istio's own bookinfo-gateway.yaml applied unchanged beside it, and deleted again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngressTaskTest {
  private static final Path INGRESS_MESH = Weft.REPOSITORY.resolve("examples/ingress/mesh");
  private static final Path BOOKINFO_GATEWAY = Weft.ISTIO_SAMPLES.resolve("bookinfo/networking/bookinfo-gateway.yaml");
  private static final String HTTPBIN_HOST = "httpbin.example.com";

  @TempDir static Path stateDir;
  private RunningMesh mesh;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(INGRESS_MESH, stateDir, 16);
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private Http.Reply get(String path, String host) {
    return Http.get(mesh.ingress() + path.substring(1), host);
  }

  private boolean httpbinSaw(String path) throws IOException {
    return Files.readAllLines(mesh.log("httpbin")).stream().anyMatch(line -> line.contains("\"GET " + path + " "));
  }

  @Test
  @Order(1)
  void httpbinIsExposedOnItsHostForStatusAndDelayOnly() throws IOException {
    assertThat(mesh.ingress()).as("Gateway port 80 is bound at the ingress Service's target port")
        .isEqualTo("http://127.0.0.1:8080/");
    Http.Reply first = get("/status/200", HTTPBIN_HOST);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(get("/status/418", HTTPBIN_HOST).status()).isEqualTo(418);
    assertThat(get("/delay/0", HTTPBIN_HOST).status()).isEqualTo(200);

    assertThat(get("/headers", HTTPBIN_HOST).status()).as("a path the VirtualService does not match").isEqualTo(404);
    assertThat(get("/status/200", "other.example.com").status()).as("a host no Gateway lists").isEqualTo(404);
    assertThat(httpbinSaw("/headers")).as("the gateway answered the 404 itself").isFalse();
  }

  /** Istio's bookinfo-gateway.yaml, unchanged: port 8080, every host, productpage's paths only. */
  @Test
  @Order(2)
  void istiosBookinfoGatewayServesProductpageOnEveryHost() {
    mesh.apply(BOOKINFO_GATEWAY);
    await().atMost(Duration.ofSeconds(15)).until(() -> get("/productpage", "bookinfo.example.com").status() == 200);

    Http.Reply page = get("/productpage", "bookinfo.example.com");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Sorry, product details are currently unavailable for this book.");
    Http.Reply products = get("/api/v1/products", "127.0.0.1:8080");
    assertThat(products.status()).isEqualTo(200);
    assertThat(products.body()).contains("The Comedy of Errors");
    assertThat(get("/productpage/more", "bookinfo.example.com").status()).as("/productpage is an exact match")
        .isEqualTo(404);
    assertThat(get("/", "bookinfo.example.com").status()).isEqualTo(404);
  }

  /**
   * Both Gateways end up on port 8080 (httpbin's server port 80 through the Service's target port), so Istio
   * merges them into one listener and one route table with both virtual hosts.
   */
  @Test
  @Order(3)
  void httpbinKeepsItsHostAndPathsBesideBookinfo() {
    assertThat(get("/status/200", HTTPBIN_HOST).status()).isEqualTo(200);
    assertThat(get("/productpage", HTTPBIN_HOST).status()).as("its own virtual host matches first").isEqualTo(404);
    assertThat(get("/productpage", "bookinfo.example.com").status()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void deletingTheBookinfoGatewayRemovesItsRoutesAndHttpbinsRemain() {
    mesh.delete(BOOKINFO_GATEWAY);
    await().atMost(Duration.ofSeconds(15)).until(() -> get("/productpage", "bookinfo.example.com").status() == 404
        && get("/status/200", HTTPBIN_HOST).status() == 200);
  }
}
