package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.testing.tls.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's mutual TLS tasks on the httpbin mesh: sidecars get SPIFFE certificates from weftd's CA and talk mutual
 * TLS (the app sees the caller in {@code x-forwarded-client-cert}); a caller without a sidecar (this test, with
 * curl) is served under PERMISSIVE, refused once a namespace or the mesh is STRICT, and served again where a
 * workload policy DISABLEs mTLS, while the meshed curl workload keeps working throughout. Under STRICT a caller
 * presenting a certificate the mesh's CA did not sign, or one it signed that has expired, is refused in the
 * handshake, while a valid one signed with weftd's root key is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MutualTlsTaskTest {
  private static final String HTTPBIN_ID = "spiffe://cluster.local/ns/default/sa/httpbin";
  private static final String CURL_ID = "spiffe://cluster.local/ns/default/sa/curl";

  @TempDir static Path stateDir;
  @TempDir static Path work;
  private RunningMesh mesh;
  private MeshClient meshed;
  private InetSocketAddress httpbinInbound;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.HTTPBIN_MESH, stateDir, 22);
    meshed = new MeshClient(mesh.app("curl"));
    httpbinInbound = mesh.inboundListener("httpbin", 8000);
    // "In sync" means every proxy acknowledged its config; a listener binds just after, which on a loaded machine
    // a first connection can beat (a full verify saw connection refused here).
    await().atMost(Duration.ofSeconds(20)).until(() -> accepts(httpbinInbound));
    await().atMost(Duration.ofSeconds(20)).until(() -> meshed.fetch("http://httpbin:8000/headers").status() == 200);
  }

  private static boolean accepts(InetSocketAddress address) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private Path policy(String name, String yaml) throws IOException {
    return Files.writeString(work.resolve(name + ".yaml"), yaml);
  }

  /** What a caller without a sidecar gets: curl's status code, or 000 when the connection is refused or reset. */
  private String legacyCall() {
    HostTool.Result curl = HostTool.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
        "http://" + httpbinInbound.getHostString() + ":" + httpbinInbound.getPort() + "/headers");
    return curl.output().strip();
  }

  private MeshClient.Fetched meshedCall() {
    return meshed.fetch("http://httpbin:8000/headers");
  }

  @Test
  @Order(1)
  void aSidecarPresentsItsSpiffeIdChainedToTheMeshRoot() {
    Path root = mesh.weftdData().resolve("ca/root-cert.pem");
    HostTool.Result handshake = HostTool.run("openssl", "s_client", "-connect",
        httpbinInbound.getHostString() + ":" + httpbinInbound.getPort(), "-alpn", "istio", "-showcerts",
        "-CAfile", root.toString());

    assertThat(handshake.output()).as(handshake.output()).contains("Verify return code: 0 (ok)");
    String leaf = HostTool.certificates(handshake.output()).getFirst();
    HostTool.Result san = HostTool.run("sh", "-c", "printf '%s' \"$0\" | openssl x509 -noout -ext subjectAltName",
        leaf);
    assertThat(san.output()).as(san.output()).contains("URI:" + HTTPBIN_ID);
  }

  @Test
  @Order(2)
  void permissiveServesBothAndTheAppLearnsAMeshedCaller() {
    MeshClient.Fetched fetched = meshedCall();
    assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
    assertThat(fetched.body()).contains("By=" + HTTPBIN_ID).contains("URI=" + CURL_ID);

    assertThat(legacyCall()).isEqualTo("200");
  }

  @Test
  @Order(3)
  void namespaceStrictRefusesTheCallerWithoutASidecarOnly() throws IOException {
    mesh.apply(policy("namespace-strict", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: default}
        spec: {mtls: {mode: STRICT}}
        """));

    await().atMost(Duration.ofSeconds(20)).until(() -> legacyCall().equals("000"));
    assertThat(meshedCall().status()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void aWorkloadDisableBeatsTheNamespacePolicy() throws IOException {
    Path disable = policy("httpbin-disable", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: default}
        spec: {selector: {matchLabels: {app: httpbin}}, mtls: {mode: DISABLE}}
        """);
    mesh.apply(disable);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> legacyCall().equals("200"));
      // The meshed caller follows: weftd marks httpbin's endpoint plain text, so no DestinationRule is needed.
      // Its connection made under mutual TLS is drained by the policy change, the next one is plain text.
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        MeshClient.Fetched fetched = meshedCall();
        return fetched.status() == 200 && !fetched.body().contains("By=");
      });
    } finally {
      mesh.delete(disable);
    }
  }

  @Test
  @Order(5)
  void aMeshWideStrictPolicyRefusesEveryCallerWithoutASidecar() throws IOException {
    mesh.delete(work.resolve("namespace-strict.yaml"));
    await().atMost(Duration.ofSeconds(20)).until(() -> legacyCall().equals("200"));

    mesh.apply(policy("mesh-strict", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec: {mtls: {mode: STRICT}}
        """));

    await().atMost(Duration.ofSeconds(20)).until(() -> legacyCall().equals("000"));
    MeshClient.Fetched fetched = meshedCall();
    assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
    assertThat(fetched.body()).contains("URI=" + CURL_ID);
  }

  @Test
  @Order(6)
  void strictRefusesCertificatesOfAForeignCaOrExpired() throws IOException {
    Path caDir = mesh.weftdData().resolve("ca");
    TestPki meshCa = TestPki.of(Files.readString(caDir.resolve("root-cert.pem")),
        Files.readString(caDir.resolve("root-key.pem")));
    Instant now = Instant.now();
    Path valid = meshCa.issue(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)), "curl", CURL_ID)
        .writeTo(work, "mesh-valid");
    Path expired = meshCa.issue(now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)), "curl", CURL_ID)
        .writeTo(work, "mesh-expired");
    Path foreign = TestPki.create("foreign-ca").issue("curl", CURL_ID).writeTo(work, "foreign");

    String served = mutualTlsCall(valid);
    assertThat(served).as(served).contains("HTTP/1.1 200").contains("URI=" + CURL_ID);
    for (Path refused : List.of(expired, foreign)) {
      String output = mutualTlsCall(refused);
      assertThat(output).as(refused.getFileName() + ": " + output).doesNotContain("HTTP/1.1")
          .containsIgnoringCase("alert");
    }
  }

  /**
   * What a caller outside the mesh gets when it presents {@code certificate} (its key beside it, as
   * {@link TestPki.Issued#writeTo} writes them) to httpbin's inbound port with a sidecar's ALPN: openssl's output and
   * the HTTP answer, if any.
   */
  private String mutualTlsCall(Path certificate) {
    String key = certificate.toString().replaceFirst("\\.pem$", "-key.pem");
    return HostTool.run("sh", "-c", "printf 'GET /headers HTTP/1.1\\r\\nHost: httpbin:8000\\r\\nConnection: close\\r\\n\\r\\n'"
        + " | openssl s_client -quiet -connect \"$0\" -alpn istio-http/1.1 -cert \"$1\" -key \"$2\"",
        httpbinInbound.getHostString() + ":" + httpbinInbound.getPort(), certificate.toString(), key).output();
  }
}
