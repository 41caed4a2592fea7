package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's traffic-management tasks on Bookinfo, with the task's own files applied through {@code weft apply}
 * to real processes: request routing, fault injection, traffic shifting and request timeouts, seen by a user at
 * the ingress.
 * The tasks build on each other, as in Istio's docs, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficManagementTasksTest {
  private static final Path NETWORKING = Weft.BOOKINFO_MESH.resolve("networking");

  @TempDir static Path stateDir;
  private MeshState mesh;

  @BeforeAll
  void up() {
    Weft.Run up = Weft.run("up", Weft.BOOKINFO_MESH.toString(), "--detach", "--state-dir", stateDir.toString(),
        "--address-block", "6");
    assertThat(up.exitCode()).as(up.output()).isZero();
    mesh = MeshState.read(stateDir).orElseThrow();
  }

  @AfterAll
  void down() {
    Weft.Run down = Weft.run("down", "--state-dir", stateDir.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
  }

  private String ingress() {
    return mesh.ingressUrl().replaceFirst("/productpage$", "");
  }

  private void apply(String file) {
    Weft.Run apply = Weft.run("apply", "-f", NETWORKING.resolve(file).toString(), "--state-dir", stateDir.toString());
    assertThat(apply.exitCode()).as(apply.output()).isZero();
  }

  private static Map<String, Long> versions(Bookinfo user, int loads) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < loads; i++) {
      Bookinfo.Page page = user.productPage();
      assertThat(page.status()).isEqualTo(200);
      seen.add(page.reviewsVersion() + "/" + page.stars());
    }
    return seen.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  @Order(1)
  void withoutRulesReviewsRoundRobinsOverAllThreeVersions() {
    Map<String, Long> seen = versions(Bookinfo.anonymous(ingress()), 30);
    assertThat(seen).containsOnlyKeys("v1/none", "v2/black", "v3/red");
  }

  /** Istio's "request routing" task, and the switch itself: effective within 1 s, no page broken meanwhile. */
  @Test
  @Order(2)
  void requestRoutingSendsEveryoneToV1WithinASecondWithoutBreakingAPage() throws Exception {
    Bookinfo user = Bookinfo.anonymous(ingress());
    List<Bookinfo.Page> during = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread traffic = Thread.ofPlatform().start(() -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (running.get() && System.nanoTime() < deadline && during.size() < 2000) {
        Bookinfo.Page page = user.productPage();
        synchronized (during) {
          during.add(page);
        }
      }
    });
    apply("virtual-service-all-v1.yaml");
    long applied = System.nanoTime();
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
        .until(() -> versions(user, 5).equals(Map.of("v1/none", 5L)));
    Duration switched = Duration.ofNanos(System.nanoTime() - applied);
    running.set(false);
    traffic.join();
    assertThat(switched).isLessThan(Duration.ofSeconds(1));
    synchronized (during) {
      assertThat(during).isNotEmpty().noneMatch(Bookinfo.Page::failed);
    }
    assertThat(versions(user, 20)).isEqualTo(Map.of("v1/none", 20L));
  }

  @Test
  @Order(3)
  void requestRoutingSendsJasonToV2AndEveryoneElseToV1() {
    apply("virtual-service-reviews-test-v2.yaml");
    Bookinfo jason = Bookinfo.loggedIn(ingress(), "jason");
    await().atMost(Duration.ofSeconds(2)).until(() -> "v2".equals(jason.productPage().reviewsVersion()));
    assertThat(versions(jason, 10)).isEqualTo(Map.of("v2/black", 10L));
    assertThat(versions(Bookinfo.anonymous(ingress()), 10)).isEqualTo(Map.of("v1/none", 10L));
  }

  /**
   * Istio's "fault injection" task: a 7 s delay on ratings for jason. productpage calls reviews with a 3 s
   * timeout and one retry, so it gives up after about 6 s and shows its error, as Istio's task describes.
   */
  @Test
  @Order(4)
  void aSevenSecondRatingsDelayForJasonMakesProductpageGiveUp() {
    apply("virtual-service-ratings-test-delay.yaml");
    Bookinfo jason = Bookinfo.loggedIn(ingress(), "jason");
    await().atMost(Duration.ofSeconds(20)).until(() -> jason.productPage().reviewsUnavailable());
    Bookinfo.Page page = jason.productPage();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.reviewsUnavailable()).isTrue();
    assertThat(page.took()).isBetween(Duration.ofMillis(5500), Duration.ofMillis(9000));
    Bookinfo.Page anonymous = Bookinfo.anonymous(ingress()).productPage();
    assertThat(anonymous.failed()).isFalse();
    assertThat(anonymous.took()).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  @Order(5)
  void anHttpAbortForJasonShowsRatingsUnavailable() {
    apply("virtual-service-ratings-test-abort.yaml");
    Bookinfo jason = Bookinfo.loggedIn(ingress(), "jason");
    await().atMost(Duration.ofSeconds(2)).until(() -> jason.productPage().ratingsUnavailable());
    Bookinfo.Page page = jason.productPage();
    assertThat(page.reviewsVersion()).isEqualTo("v2");
    assertThat(page.ratingsUnavailable()).isTrue();
    assertThat(page.took()).isLessThan(Duration.ofSeconds(3));
    assertThat(Bookinfo.anonymous(ingress()).productPage().ratingsUnavailable()).isFalse();
  }

  /** Istio's "traffic shifting" task: 50/50 between v1 and v3, then all to v3. */
  @Test
  @Order(6)
  void trafficShiftsHalfToV3ThenAllOfIt() {
    apply("virtual-service-all-v1.yaml");
    apply("virtual-service-reviews-50-v3.yaml");
    Bookinfo user = Bookinfo.anonymous(ingress());
    await().atMost(Duration.ofSeconds(2)).until(() -> "v3".equals(user.productPage().reviewsVersion()));
    Map<String, Long> seen = versions(user, 100);
    assertThat(seen).containsOnlyKeys("v1/none", "v3/red");
    // 50/50 over 100 loads: outside 30..70 has a probability below 1e-4.
    assertThat(seen.get("v3/red")).isBetween(30L, 70L);
    apply("virtual-service-reviews-v3.yaml");
    await().atMost(Duration.ofSeconds(2)).until(() -> versions(user, 5).equals(Map.of("v3/red", 5L)));
    assertThat(versions(user, 20)).isEqualTo(Map.of("v3/red", 20L));
  }

  /**
   * Istio's "request timeouts" task: ratings delayed 2 s, reviews v2 with a 0.5 s route timeout. productpage's
   * sidecar cuts each call to reviews at 0.5 s (504 UT), productpage tries twice, so the page answers in about
   * 1 s without reviews instead of taking 2 s.
   */
  @Test
  @Order(7)
  void aRouteTimeoutCutsASlowDependencyShort() {
    apply("virtual-service-ratings-delay-2s.yaml");
    apply("virtual-service-reviews-v2-timeout.yaml");
    Bookinfo user = Bookinfo.anonymous(ingress());
    await().atMost(Duration.ofSeconds(5)).until(() -> user.productPage().reviewsUnavailable());
    Bookinfo.Page page = user.productPage();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.reviewsUnavailable()).isTrue();
    assertThat(page.took()).isBetween(Duration.ofMillis(900), Duration.ofMillis(1900));
  }
}
