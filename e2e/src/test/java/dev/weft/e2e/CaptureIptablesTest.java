package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bookinfo under transparent capture ({@code weft up --capture iptables}): each workload in its own network
 * namespace, its traffic redirected to its sidecar by istio-iptables rules, the sidecars on Istio's standard
 * config. Istio's request routing and fault injection tasks at the ingress, and proof that the traffic went
 * through iptables. Needs root, iproute2 and iptables: fails in CI without them, is skipped elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptureIptablesTest {

  private static final int BLOCK = 13;
  private static final Path NETWORKING = Weft.BOOKINFO_MESH.resolve("networking");

  @TempDir static Path stateDir;
  private MeshState mesh;

  @BeforeAll
  void up() {
    List<String> missing = missingRequirements();
    if ("true".equals(System.getenv("CI"))) {
      assertThat(missing).as("CI runs as root with iproute2 and iptables (.ci/run)").isEmpty();
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "transparent capture cannot run here: " + missing);
    Weft.Run up = Weft.run("up", Weft.BOOKINFO_MESH.toString(), "--detach", "--state-dir", stateDir.toString(),
        "--capture", "iptables", "--address-block", Integer.toString(BLOCK));
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("capture network ready: 6 namespaces on 10.250." + BLOCK + ".0/24");
    mesh = MeshState.read(stateDir).orElseThrow();
  }

  @AfterAll
  void down() {
    if (mesh == null) {
      return;
    }
    Weft.Run down = Weft.run("down", "--state-dir", stateDir.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(mesh.processes()).allSatisfy(p -> assertThat(p.live()).as(p.name() + " left running").isEmpty());
    assertThat(command("ip", "netns", "list")).doesNotContain("weft" + BLOCK + "-");
    assertThat(command("ip", "link", "show")).doesNotContain("weft" + BLOCK + "br");
  }

  private static List<String> missingRequirements() {
    List<String> missing = new ArrayList<>();
    try {
      String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
          .findFirst().orElse("Uid: -1").split("\\s+")[1];
      if (!uid.equals("0")) {
        missing.add("not root (uid " + uid + ")");
      }
    } catch (IOException e) {
      missing.add("cannot read /proc/self/status");
    }
    for (String tool : List.of("ip", "iptables", "iptables-restore", "setpriv")) {
      if (List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/").stream()
          .noneMatch(dir -> Files.isExecutable(Path.of(dir + tool)))) {
        missing.add(tool + " is not installed");
      }
    }
    return missing;
  }

  private static String command(String... args) {
    try {
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + args[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private void apply(String file) {
    Weft.Run apply = Weft.run("apply", "-f", NETWORKING.resolve(file).toString(), "--state-dir", stateDir.toString());
    assertThat(apply.exitCode()).as(apply.output()).isZero();
  }

  private String sidecarAdmin(String workload) {
    return mesh.process(workload + ".proxy").admin();
  }

  /**
   * The page is served through iptables: productpage's sidecar counted its own calls on Istio's outbound
   * 0.0.0.0_9080 listener, which only a connection redirected to virtualOutbound reaches; the app itself runs in
   * its own namespace and was told of no proxy.
   */
  @Test
  @Order(1)
  void theAppsOutboundTrafficGoesThroughIptablesToItsSidecar() throws IOException {
    Bookinfo.Page page = Bookinfo.anonymous(mesh.ingressUrl()).productPage();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.failed()).as(page.body()).isFalse();
    String admin = sidecarAdmin("productpage-v1");
    assertThat(admin).startsWith("http://10.250." + BLOCK + ".");
    assertThat(ProxyStats.counter(admin, "http.outbound_0.0.0.0_9080.downstream_rq_total")).isGreaterThanOrEqualTo(2);
    long app = mesh.process("productpage-v1").pid();
    String environment = Files.readString(Path.of("/proc", Long.toString(app), "environ"), StandardCharsets.UTF_8);
    assertThat(environment.split("\0")).noneMatch(v -> v.toUpperCase().startsWith("HTTP_PROXY="))
        .contains("BIND=0.0.0.0", "REVIEWS_URL=http://reviews:9080");
    assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(app), "ns", "net")))
        .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
  }

  /** The ingress's request reaches productpage through the redirect to virtualInbound and its 9080 chain. */
  @Test
  @Order(2)
  void theAppsInboundTrafficGoesThroughIptablesToItsSidecarsInboundChain() {
    assertThat(Bookinfo.anonymous(mesh.ingressUrl()).productPage().status()).isEqualTo(200);
    assertThat(ProxyStats.counter(sidecarAdmin("productpage-v1"), "http.inbound_0.0.0.0_9080.downstream_rq_total"))
        .isPositive();
  }

  /** Istio's request routing task: everyone to v1, then jason to v2. */
  @Test
  @Order(3)
  void requestRoutingSendsEveryoneToV1ThenJasonToV2() {
    apply("virtual-service-all-v1.yaml");
    Bookinfo user = Bookinfo.anonymous(mesh.ingressUrl());
    await().atMost(Duration.ofSeconds(5)).until(() -> "v1".equals(user.productPage().reviewsVersion()));
    for (int i = 0; i < 10; i++) {
      assertThat(user.productPage().reviewsVersion()).isEqualTo("v1");
    }
    apply("virtual-service-reviews-test-v2.yaml");
    Bookinfo jason = Bookinfo.loggedIn(mesh.ingressUrl(), "jason");
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(jason.productPage().reviewsVersion()));
    for (int i = 0; i < 5; i++) {
      assertThat(jason.productPage().stars()).isEqualTo("black");
      assertThat(user.productPage().reviewsVersion()).isEqualTo("v1");
    }
  }

  /** Istio's fault injection task: an HTTP abort of ratings for jason, applied in reviews v2's sidecar. */
  @Test
  @Order(4)
  void anHttpAbortForJasonShowsRatingsUnavailable() {
    apply("virtual-service-ratings-test-abort.yaml");
    Bookinfo jason = Bookinfo.loggedIn(mesh.ingressUrl(), "jason");
    await().atMost(Duration.ofSeconds(5)).until(() -> jason.productPage().ratingsUnavailable());
    Bookinfo.Page page = jason.productPage();
    assertThat(page.reviewsVersion()).isEqualTo("v2");
    assertThat(page.ratingsUnavailable()).isTrue();
    assertThat(Bookinfo.anonymous(mesh.ingressUrl()).productPage().ratingsUnavailable()).isFalse();
  }
}
