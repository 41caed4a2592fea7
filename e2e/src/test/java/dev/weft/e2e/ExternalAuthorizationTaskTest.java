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
 * Istio's External Authorization task on the ext-authz mesh: its {@code meshconfig.yaml} declares the sample
 * authorizer as the providers {@code sample-ext-authz-grpc} and {@code sample-ext-authz-http}; the task's CUSTOM
 * policy on httpbin sends each request to {@code /headers} to the authorizer, which allows only {@code x-ext-authz:
 * allow}, while {@code /ip} is not checked. The meshed curl workload makes the calls, as {@code kubectl exec curl}
 * does in the task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalAuthorizationTaskTest {
  private static final String DENIED = "denied by ext_authz for not found header `x-ext-authz: allow` in the request";
  private static final Path POLICIES = Weft.EXTAUTHZ_MESH.resolve("networking");

  @TempDir static Path stateDir;
  private RunningMesh mesh;
  private MeshClient curl;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.EXTAUTHZ_MESH, stateDir, 25);
    curl = new MeshClient(mesh.app("curl"));
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private MeshClient.Fetched call(String path, String verdict) {
    return curl.fetch("http://httpbin:8000" + path, "x-ext-authz: " + verdict);
  }

  @Test
  @Order(1)
  void withoutAPolicyNothingIsChecked() {
    assertThat(call("/headers", "deny").status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void theGrpcProviderDecidesForHeadersOnly() {
    mesh.apply(POLICIES.resolve("ext-authz-grpc.yaml"));

    await().atMost(Duration.ofSeconds(20)).until(() -> call("/headers", "deny").status() == 403);
    assertTaskOutcome();
  }

  @Test
  @Order(3)
  void theHttpProviderDecidesTheSame() throws IOException {
    Path authorizerLog = mesh.log("ext-authz");
    long checksBefore = httpChecks(authorizerLog);
    mesh.apply(POLICIES.resolve("ext-authz-http.yaml"));

    // The HTTP provider's checks reach the authorizer's HTTP port, whose access log shows them; gRPC ones do not.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      call("/headers", "deny");
      return httpChecks(authorizerLog) > checksBefore;
    });
    assertTaskOutcome();
  }

  /** Denied with the authorizer's 403 and body; allowed with its verdict header at httpbin; {@code /ip} unchecked. */
  private void assertTaskOutcome() {
    MeshClient.Fetched denied = call("/headers", "deny");
    assertThat(denied.status()).as(denied.body()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo(DENIED);

    MeshClient.Fetched allowed = call("/headers", "allow");
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    assertThat(allowed.body()).containsIgnoringCase("\"x-ext-authz-check-result\"").contains("\"allowed\"");

    MeshClient.Fetched unchecked = call("/ip", "deny");
    assertThat(unchecked.status()).as(unchecked.body()).isEqualTo(200);
  }

  private static long httpChecks(Path log) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(line -> line.contains("\"GET /headers HTTP/1.1\"")).count();
    }
  }
}
