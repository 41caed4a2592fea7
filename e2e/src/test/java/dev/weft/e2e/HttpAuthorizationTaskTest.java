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
 * Istio's "Authorization for HTTP traffic" task on Bookinfo, seen by a user at the ingress: {@code allow-nothing}
 * denies every page, then one ALLOW policy per service opens productpage (GET), details and reviews (GET from
 * productpage's principal) and ratings (GET from reviews' principal), each step showing the sections Istio's task
 * shows. Then DENY beats ALLOW ({@code notPaths}, a source namespace), and a dry-run policy only counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpAuthorizationTaskTest {
  private static final Duration TAKES_EFFECT = Duration.ofSeconds(20);
  /** What Envoy counts when a dry-run DENY policy would have denied (Istio's shadow rules stat prefix). */
  private static final String SHADOW_DENIED = "rbac.istio_dry_run_deny_shadow_denied";

  @TempDir static Path stateDir;
  @TempDir static Path work;
  private RunningMesh mesh;
  private Bookinfo user;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.BOOKINFO_MESH, stateDir, 23);
    user = Bookinfo.anonymous(mesh.ingress());
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private Path policy(String name, String yaml) throws IOException {
    Path file = Files.writeString(work.resolve(name + ".yaml"), yaml);
    mesh.apply(file);
    return file;
  }

  /** An ALLOW policy of the task: GET on the workload {@code app}, from {@code principal} unless it is empty. */
  private Path viewer(String app, String principal) throws IOException {
    String from = principal.isEmpty() ? "" : "from: [{source: {principals: [\"" + principal + "\"]}}], ";
    return policy(app + "-viewer", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: %s-viewer, namespace: default}
        spec:
          selector: {matchLabels: {app: %s}}
          action: ALLOW
          rules: [{%sto: [{operation: {methods: ["GET"]}}]}]
        """.formatted(app, app, from));
  }

  private static boolean detailsShown(Bookinfo.Page page) {
    return page.status() == 200 && page.body().contains("<dd>paperback</dd>")
        && !page.body().contains("Sorry, product details are currently unavailable");
  }

  @Test
  @Order(1)
  void withoutPoliciesEverySectionLoads() {
    Bookinfo.Page page = user.productPage();
    assertThat(page.status()).isEqualTo(200);
    assertThat(detailsShown(page)).as(page.body()).isTrue();
    assertThat(page.reviewsUnavailable()).isFalse();
  }

  @Test
  @Order(2)
  void allowNothingDeniesEveryPage() throws IOException {
    policy("allow-nothing", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-nothing, namespace: default}
        spec: {}
        """);

    await().atMost(TAKES_EFFECT).until(() -> user.productPage().status() == 403);
    Bookinfo.Page page = user.productPage();
    assertThat(page.body()).isEqualTo("RBAC: access denied");
    assertThat(Http.get(mesh.ingress() + "api/v1/products").status()).isEqualTo(403);
    // Every denial names its cause in the sidecar's access log (the mesh's meshconfig.yaml: accessLogFile):
    // here no ALLOW policy matched.
    await().atMost(TAKES_EFFECT).until(() -> sidecarLogMentions("rbac_access_denied_matched_policy[none]"));
  }

  /** Whether the productpage sidecar's log (its access log goes to stdout) has a line containing {@code text}. */
  private boolean sidecarLogMentions(String text) throws IOException {
    return Files.readString(mesh.log("productpage-v1.proxy")).contains(text);
  }

  @Test
  @Order(3)
  void productpageViewerShowsThePageWithoutDetailsAndReviews() throws IOException {
    viewer("productpage", "");

    await().atMost(TAKES_EFFECT).until(() -> user.productPage().status() == 200);
    Bookinfo.Page page = user.productPage();
    assertThat(page.body()).contains("Sorry, product details are currently unavailable for this book.");
    assertThat(page.reviewsUnavailable()).isTrue();
  }

  @Test
  @Order(4)
  void detailsViewerFromProductpageShowsDetails() throws IOException {
    viewer("details", "cluster.local/ns/default/sa/bookinfo-productpage");

    await().atMost(TAKES_EFFECT).until(() -> detailsShown(user.productPage()));
    assertThat(user.productPage().reviewsUnavailable()).isTrue();
    // Which rule let the requests through, per sidecar, as istioctl x authz check lists the rules.
    assertThat(mesh.weft("proxy-config", "authz", "details-v1"))
        .containsPattern("http +ALLOW +details-viewer\\.default +0 +[1-9][0-9]* +0\n");
  }

  @Test
  @Order(5)
  void reviewsViewerShowsReviewsButNotTheirRatings() throws IOException {
    viewer("reviews", "cluster.local/ns/default/sa/bookinfo-productpage");

    await().atMost(TAKES_EFFECT).until(() -> !user.productPage().reviewsUnavailable());
    // reviews v2 and v3 call ratings, which still allows nothing; v1 shows no ratings at all.
    for (int i = 0; i < 9; i++) {
      Bookinfo.Page page = user.productPage();
      assertThat(detailsShown(page)).isTrue();
      assertThat(page.reviewsUnavailable()).isFalse();
      assertThat(page.ratingsUnavailable()).as("reviews %s", page.reviewsVersion())
          .isEqualTo(!page.reviewsVersion().equals("v1"));
    }
  }

  @Test
  @Order(6)
  void ratingsViewerFromReviewsShowsTheStars() throws IOException {
    viewer("ratings", "cluster.local/ns/default/sa/bookinfo-reviews");

    await().atMost(TAKES_EFFECT).until(() -> {
      Bookinfo.Page page = user.productPage();
      return page.reviewsVersion().equals("v3") && page.stars().equals("red");
    });
    for (int i = 0; i < 6; i++) {
      Bookinfo.Page page = user.productPage();
      assertThat(page.failed()).as(page.body()).isFalse();
      assertThat(page.ratingsUnavailable()).isFalse();
    }
  }

  @Test
  @Order(7)
  void aDenyOnNotPathsBeatsTheAllow() throws IOException {
    Path deny = policy("deny-productpage-api", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-productpage-api, namespace: default}
        spec:
          selector: {matchLabels: {app: productpage}}
          action: DENY
          rules:
          - to: [{operation: {methods: ["GET"], notPaths: ["/productpage"]}}]
        """);
    try {
      await().atMost(TAKES_EFFECT).until(() -> Http.get(mesh.ingress() + "api/v1/products").status() == 403);
      assertThat(user.productPage().status()).isEqualTo(200);
      // The access log names the policy and rule that denied.
      await().atMost(TAKES_EFFECT).until(() -> sidecarLogMentions(
          "rbac_access_denied_matched_policy[ns[default]-policy[deny-productpage-api]-rule[0]]"));
    } finally {
      mesh.delete(deny);
    }
    await().atMost(TAKES_EFFECT).until(() -> Http.get(mesh.ingress() + "api/v1/products").status() == 200);
  }

  @Test
  @Order(8)
  void aDenyFromTheNamespaceHidesDetailsAgain() throws IOException {
    Path deny = policy("deny-details-from-default", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-details-from-default, namespace: default}
        spec:
          selector: {matchLabels: {app: details}}
          action: DENY
          rules:
          - from: [{source: {namespaces: ["default"]}}]
            to: [{operation: {methods: ["GET"]}}]
        """);
    try {
      await().atMost(TAKES_EFFECT).until(() -> !detailsShown(user.productPage()));
      Bookinfo.Page page = user.productPage();
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("Sorry, product details are currently unavailable for this book.");
      assertThat(page.reviewsUnavailable()).isFalse();
    } finally {
      mesh.delete(deny);
    }
    await().atMost(TAKES_EFFECT).until(() -> detailsShown(user.productPage()));
  }

  @Test
  @Order(9)
  void aDryRunDenyChangesNothingButCountsInTheShadowStats() throws IOException {
    String admin = mesh.sidecarAdmin("productpage-v1");
    long before = ProxyStats.total(admin, SHADOW_DENIED);
    policy("dry-run-deny-everything", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: dry-run-deny-everything
          namespace: default
          annotations: {istio.io/dry-run: "true"}
        spec:
          selector: {matchLabels: {app: productpage}}
          action: DENY
          rules: [{}]
        """);

    await().atMost(TAKES_EFFECT).until(() -> {
      Bookinfo.Page page = user.productPage();
      assertThat(page.failed()).as(page.body()).isFalse();
      return ProxyStats.total(admin, SHADOW_DENIED) > before;
    });
    long counted = ProxyStats.total(admin, SHADOW_DENIED);
    for (int i = 0; i < 3; i++) {
      assertThat(user.productPage().status()).isEqualTo(200);
    }
    assertThat(ProxyStats.total(admin, SHADOW_DENIED)).isGreaterThanOrEqualTo(counted + 3);
    assertThat(mesh.weft("proxy-config", "authz", "productpage-v1"))
        .containsPattern("http +DRY-RUN DENY +dry-run-deny-everything\\.default +0 +0 +([3-9]|[1-9][0-9]+)\n");
  }
}
