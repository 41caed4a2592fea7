package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --addressing ADDRESSES}: each Bookinfo workload on its own loopback address {@code 127.0.B.N}, like a pod
 * IP, where its app keeps port 9080 and its sidecar keeps Istio's ports; weftd binds the sidecar's listeners there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AddressingTest {

  private static final int BLOCK = 11;
  private static final List<String> WORKLOADS = List.of(
      "details-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3", "productpage-v1");

  @TempDir static Path stateDir;
  private Weft.Run up;
  private MeshState mesh;

  @BeforeAll
  void up() {
    up = Weft.run("up", Weft.BOOKINFO_MESH.toString(), "--detach", "--state-dir", stateDir.toString(),
        "--addressing", "ADDRESSES", "--address-block", Integer.toString(BLOCK));
    assertThat(up.exitCode()).as(up.output()).isZero();
    mesh = MeshState.read(stateDir).orElseThrow();
  }

  @AfterAll
  void down() {
    Weft.Run down = Weft.run("down", "--state-dir", stateDir.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(mesh.processes()).allSatisfy(p -> assertThat(p.live()).as(p.name() + " left running").isEmpty());
  }

  /** Workload i of the workload file is at 127.0.B.(i+2); the gateway's own ports are at 127.0.B.1. */
  private static String ip(int index) {
    return "127.0." + BLOCK + "." + (index + 2);
  }

  @Test
  void eachWorkloadIsOnItsOwnAddressWithItsAppPortAndIstiosSidecarPorts() {
    for (int i = 0; i < WORKLOADS.size(); i++) {
      String workload = WORKLOADS.get(i);
      String ip = ip(i);
      assertThat(up.output()).contains("started " + workload + ".proxy (sidecar~" + ip + "~" + workload
          + ".default~default.svc.cluster.local)");
      assertThat(mesh.process(workload + ".proxy").admin()).isEqualTo("http://" + ip + ":15000");
      assertThat(Http.get("http://" + ip + ":15021/healthz/ready").status()).as(workload).isEqualTo(200);
      assertThat(Http.get("http://" + ip + ":15090/stats/prometheus").body()).as(workload).contains("# TYPE");
      assertThat(Http.get("http://" + ip + ":9080/health").status()).as(workload + " app").isEqualTo(200);
      // The sidecar's inbound listener for the app's first port is Istio's 15006, forwarding to the app.
      assertThat(Http.get("http://" + ip + ":15006/health").status()).as(workload + " inbound").isEqualTo(200);
      String listeners = Http.get("http://" + ip + ":15000/config_dump").body();
      assertThat(listeners).contains("\"address\": \"" + ip + "\"").contains("\"port_value\": 15001")
          .contains("\"port_value\": 15006").contains("local-outbound");
    }
    assertThat(mesh.process("istio-ingressgateway").admin()).isEqualTo("http://127.0." + BLOCK + ".1:15000");
    assertThat(mesh.ingressUrl()).isEqualTo("http://127.0.0.1:8080");
  }

  /** Istio's request routing through the ingress, the sidecars reaching each other on their own addresses. */
  @Test
  void requestRoutingWorksAcrossWorkloadAddresses() {
    Set<String> versions = new HashSet<>();
    Bookinfo user = Bookinfo.anonymous(mesh.ingressUrl());
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Bookinfo.Page page = user.productPage();
      if (page.status() == 200) {
        versions.add(page.reviewsVersion() + "/" + page.stars());
      }
      return versions.size() == 3;
    });
    assertThat(versions).containsOnly("v1/none", "v2/black", "v3/red");
    Path networking = Weft.BOOKINFO_MESH.resolve("networking");
    for (String file : List.of("virtual-service-all-v1.yaml", "virtual-service-reviews-test-v2.yaml")) {
      Weft.Run apply = Weft.run("apply", "-f", networking.resolve(file).toString(), "--state-dir",
          stateDir.toString());
      assertThat(apply.exitCode()).as(apply.output()).isZero();
    }
    Bookinfo jason = Bookinfo.loggedIn(mesh.ingressUrl(), "jason");
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(jason.productPage().reviewsVersion()));
    for (int i = 0; i < 5; i++) {
      assertThat(jason.productPage().stars()).isEqualTo("black");
      assertThat(user.productPage().reviewsVersion()).isEqualTo("v1");
    }
  }
}
