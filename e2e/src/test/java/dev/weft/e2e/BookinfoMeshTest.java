package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft up examples/bookinfo/mesh --detach}: weftd, the ingress gateway, six sidecars and six Bookinfo
 * apps as real processes on loopback, then {@code weft apply}/{@code delete}, {@code status}, {@code logs} and
 * {@code down}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BookinfoMeshTest {

  /** Port-block addressing: workload i owns 26000 + 100*i .. +99 on 127.0.0.1. */
  private static final int BLOCK = 4;
  private static final int FIRST_PORT = 26000;
  private static final List<String> WORKLOADS = List.of(
      "details-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3", "productpage-v1");

  @TempDir static Path stateDir;
  private Weft.Run up;
  private MeshState mesh;

  @BeforeAll
  void up() {
    up = Weft.run("up", Weft.BOOKINFO_MESH.toString(), "--detach", "--state-dir", stateDir.toString(),
        "--addressing", "PORT_BLOCKS", "--address-block", Integer.toString(BLOCK));
    assertThat(up.exitCode()).as(up.output()).isZero();
    mesh = MeshState.read(stateDir).orElseThrow();
  }

  @AfterAll
  void down() {
    Weft.Run down = Weft.run("down", "--state-dir", stateDir.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(down.output()).contains("the mesh is down (14 processes were running)");
    assertThat(mesh.processes()).allSatisfy(p -> assertThat(p.live()).as(p.name() + " left running").isEmpty());
    assertThat(ProcessHandle.of(mesh.supervisorPid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(MeshState.read(stateDir)).isEmpty();
  }

  /** Port {@code offset} of workload {@code index}'s block: +0 admin, +21 health, +50 app, +90 stats. */
  private static String url(int index, int offset) {
    return "http://127.0.0.1:" + (FIRST_PORT + 100 * index + offset);
  }

  @Test
  void upPrintsProgressAndWhereEverythingIs() {
    Matcher took = Pattern.compile("The mesh is up \\(14 processes in ([0-9.]+) s\\)").matcher(up.output());
    assertThat(took.find()).as(up.output()).isTrue();
    assertThat(Double.parseDouble(took.group(1))).as("seconds to start Bookinfo").isLessThan(60);
    assertThat(up.output())
        .contains("weft: weftd ready: xDS on 127.0.0.1:")
        .contains("weft: started reviews-v2.proxy (sidecar~127.0.0.1~reviews-v2.default~default.svc.cluster.local)")
        .contains("weft: app ready: productpage-v1")
        .contains("weft: mesh in sync: every proxy holds weftd's latest config")
        .contains("ingress:      http://127.0.0.1:8080/\n")
        .contains("weftd debug:  " + mesh.weftdUrl() + "/debug/configz")
        .contains("logs:         " + stateDir.resolve("logs"))
        .contains("weft up runs detached (pid " + mesh.supervisorPid() + ")");
    assertThat(mesh.processes()).extracting(MeshState.Proc::role).containsOnly("WEFTD", "GATEWAY", "SIDECAR", "APP");
    assertThat(mesh.processes()).hasSize(14);
  }

  /**
   * As Istio's proxies reach istiod on 15012: weftd's xDS port speaks TLS with a certificate that the mesh root
   * vouches for under istiod's name, and every bootstrap trusts that root (the proxies then synced, above).
   */
  @Test
  void proxiesReachWeftdOverTlsThatTheMeshRootVouchesFor() throws Exception {
    int xdsPort = new ObjectMapper().readTree(stateDir.resolve("state.json").toFile()).get("xdsPort").asInt();
    Path root = stateDir.resolve("weftd/ca/root-cert.pem");
    HostTool.Result handshake = HostTool.run("openssl", "s_client", "-connect", "127.0.0.1:" + xdsPort,
        "-servername", "istiod.istio-system.svc", "-verify_hostname", "istiod.istio-system.svc", "-alpn", "h2",
        "-CAfile", root.toString(), "-verify_return_error");
    assertThat(handshake.output()).as(handshake.output()).contains("Verify return code: 0 (ok)");
    assertThat(Files.readString(stateDir.resolve("bootstrap/productpage-v1.proxy.yaml")))
        .contains("UpstreamTlsContext").contains("istiod.istio-system.svc").contains(root.toString());
  }

  @Test
  void everyAppAndSidecarServesOnItsOwnPortBlock() {
    for (int i = 0; i < WORKLOADS.size(); i++) {
      assertThat(Http.get(url(i, 50) + "/health").status()).as(WORKLOADS.get(i)).isEqualTo(200);
      assertThat(Http.get(url(i, 0) + "/ready").status()).as(WORKLOADS.get(i) + " sidecar").isEqualTo(200);
      assertThat(Http.get(url(i, 21) + "/healthz/ready").status()).as(WORKLOADS.get(i) + " health").isEqualTo(200);
      assertThat(Http.get(url(i, 90) + "/stats/prometheus").status()).as(WORKLOADS.get(i) + " stats")
          .isEqualTo(200);
    }
    assertThat(Http.get(url(5, 50) + "/productpage").body()).contains("The Comedy of Errors");
  }

  /** A sidecar is ready only once weftd's config reached it, so its inbound listener serves the app. */
  @Test
  void eachSidecarGotItsListenersFromWeftdAndForwardsInboundTrafficToItsApp() throws Exception {
    for (int i = 0; i < WORKLOADS.size(); i++) {
      String app = WORKLOADS.get(i).substring(0, WORKLOADS.get(i).indexOf('-'));
      Http.Reply health = Http.get(url(i, 6) + "/health");
      assertThat(health.status()).as(WORKLOADS.get(i) + " through its sidecar").isEqualTo(200);
      assertThat(health.body()).contains(app + " is healthy");
    }
    String syncz = Http.get(mesh.weftdUrl() + "/debug/syncz").body();
    assertThat(syncz).contains("sidecar~127.0.0.1~productpage-v1.default~default.svc.cluster.local")
        .contains("router~127.0.0.1~istio-ingressgateway.istio-system~istio-system.svc.cluster.local");
    Path tokens = stateDir.resolve("proxy-tokens.json");
    assertThat(new ObjectMapper().readTree(tokens.toFile()).size())
        .as("weftd admitted them by the tokens weft up issued: six sidecars and the gateway").isEqualTo(7);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rw-------");
  }

  @Test
  void statusListsEveryProcessHealthyWithMemoryAndCpu() {
    Weft.Run status = Weft.run("status", "--state-dir", stateDir.toString());
    assertThat(status.exitCode()).as(status.output()).isZero();
    List<String> rows = status.output().lines()
        .filter(l -> l.matches("^\\S+ +(weftd|gateway|sidecar|app) +\\d+ .*"))
        .toList();
    assertThat(rows).hasSize(14).allSatisfy(row -> assertThat(row).contains(" ready ").contains(" MB").contains("%"));
  }

  @Test
  void weftdServesTheDirectorysConfigButNotTheNextSteps() throws Exception {
    assertThat(configResources()).contains("Gateway default/bookinfo-gateway", "VirtualService default/bookinfo",
        "DestinationRule default/reviews", "Service default/reviews", "Deployment default/reviews-v3");
    assertThat(configResources()).doesNotContain("VirtualService default/reviews");
  }

  @Test
  void applyAndDeleteChangeTheRunningMeshsConfigWithinASecond() throws Exception {
    String file = Weft.BOOKINFO_MESH.resolve("networking/virtual-service-reviews-test-v2.yaml").toString();
    Weft.Run apply = Weft.run("apply", "-f", file, "--state-dir", stateDir.toString());
    assertThat(apply.exitCode()).as(apply.output()).isZero();
    assertThat(apply.output()).contains("VirtualService default/reviews created");
    await().atMost(Duration.ofSeconds(1))
        .until(() -> configResources().contains("VirtualService default/reviews"));

    Weft.Run delete = Weft.run("delete", "-f", file, "--state-dir", stateDir.toString());
    assertThat(delete.exitCode()).as(delete.output()).isZero();
    assertThat(delete.output()).contains("VirtualService default/reviews deleted");
    await().atMost(Duration.ofSeconds(1))
        .until(() -> !configResources().contains("VirtualService default/reviews"));
  }

  @Test
  void logsShowAnAppsAccessLogAndItsSidecarsLog() {
    Http.get(url(1, 50) + "/ratings/0");
    Weft.Run app = Weft.run("logs", "ratings-v1", "--state-dir", stateDir.toString());
    assertThat(app.exitCode()).isZero();
    assertThat(app.output()).contains("ratings listening on 127.0.0.1:" + (FIRST_PORT + 150)).contains("\"GET /ratings/0 HTTP/1.1\" 200");
    Weft.Run proxy = Weft.run("logs", "ratings-v1", "--proxy", "--state-dir", stateDir.toString());
    assertThat(proxy.exitCode()).isZero();
    assertThat(proxy.output()).contains("weft-proxy: started");
  }

  /** weftd's config as {@code Kind namespace/name}, from /debug/configz. */
  private List<String> configResources() throws Exception {
    JsonNode configz = new ObjectMapper().readTree(Http.get(mesh.weftdUrl() + "/debug/configz").body());
    List<String> resources = new ArrayList<>();
    configz.path("resources").forEach(r -> resources.add(r.path("kind").asText() + " "
        + r.path("namespace").asText() + "/" + r.path("name").asText()));
    return resources;
  }
}
