package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.examples.app.Env;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.httpbin.Httpbin;
import dev.weft.testing.tls.TestPki;
import dev.weft.testing.upstream.FakeTlsUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's egress tasks with "external" services that are plain servers outside the mesh (no sidecar), started by
 * this test on loopback: by default (ALLOW_ANY) the curl workload reaches any address or host name through its
 * sidecar, and curl with the sidecar as its proxy reaches an HTTPS server through CONNECT; a MESH_EXTERNAL ServiceEntry
 * makes one reachable by host name; a Sidecar with {@code outboundTrafficPolicy: REGISTRY_ONLY} then blocks what is
 * not in the registry with 502 (CONNECT too) while the ServiceEntry host still works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EgressTaskTest {
  private static final String EXTERNAL_HOST = "external-httpbin.example.com";

  @TempDir static Path stateDir;
  @TempDir static Path configDir;
  private RunningMesh mesh;
  private MeshClient curl;
  private RunningApp registered;
  private RunningApp unregistered;
  private FakeTlsUpstream secure;
  private Path secureCa;

  @BeforeAll
  void up() {
    registered = Httpbin.start(Httpbin.Config.fromEnv(Env.of(Map.of("PORT", "0", "POD_NAME", "registered"))));
    unregistered = Httpbin.start(Httpbin.Config.fromEnv(Env.of(Map.of("PORT", "0", "POD_NAME", "unregistered"))));
    TestPki pki = TestPki.create("egress-https");
    TestPki.Issued leaf = pki.issue("localhost", "localhost");
    secure = FakeTlsUpstream.start("secure-outside", leaf.certificatePem(), leaf.privateKeyPem(), null);
    secureCa = writeCa(pki);
    mesh = RunningMesh.up(Weft.HTTPBIN_MESH, stateDir, 12);
    curl = new MeshClient(mesh.app("curl"));
  }

  @AfterAll
  void down() {
    try {
      mesh.down();
    } finally {
      registered.close();
      unregistered.close();
      secure.close();
    }
  }

  private static Path writeCa(TestPki pki) {
    try {
      return Files.writeString(configDir.resolve("ca.pem"), pki.caPem());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** curl as the app would run it, with the curl workload's sidecar as its proxy (the app's HTTPS_PROXY). */
  private HostTool.Result curlViaSidecar(String url) {
    var sidecar = mesh.outboundListener("curl");
    return HostTool.run("curl", "-sS", "-i", "--max-time", "10", "-x",
        "http://" + sidecar.getHostString() + ":" + sidecar.getPort(), "--cacert", secureCa.toString(), url);
  }

  /** Istio's egress ServiceEntry shape: the host on port 80, its one endpoint the loopback server's real port. */
  private Path serviceEntry() throws IOException {
    return Files.writeString(configDir.resolve("external-httpbin.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata:
          name: external-httpbin
        spec:
          hosts:
          - %s
          location: MESH_EXTERNAL
          ports:
          - number: 80
            name: http
            protocol: HTTP
          resolution: STATIC
          endpoints:
          - address: 127.0.0.1
            ports:
              http: %d
        """.formatted(EXTERNAL_HOST, registered.port()));
  }

  private String unregisteredUrl() {
    return "http://127.0.0.1:" + unregistered.port() + "/hostname";
  }

  @Test
  @Order(1)
  void byDefaultAnAddressOutsideTheRegistryIsPassedThrough() {
    MeshClient.Fetched fetched = curl.fetch(unregisteredUrl());
    assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
    assertThat(fetched.body()).contains("\"unregistered\"");
  }

  @Test
  @Order(2)
  void byDefaultAHostOutsideTheRegistryIsReachedByName() {
    MeshClient.Fetched fetched = curl.fetch("http://localhost:" + unregistered.port() + "/hostname");
    assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
    assertThat(fetched.body()).contains("\"unregistered\"");
  }

  @Test
  @Order(3)
  void byDefaultHttpsOutsideTheRegistryGoesThroughAConnectTunnel() {
    HostTool.Result result = curlViaSidecar("https://localhost:" + secure.port() + "/");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("HTTP/1.1 200 OK").containsIgnoringCase("x-upstream: secure-outside");
  }

  @Test
  @Order(4)
  void aServiceEntryMakesTheExternalServiceReachableByName() throws IOException {
    assertThat(curl.fetch("http://" + EXTERNAL_HOST + "/hostname").status()).as("unknown before the ServiceEntry")
        .isNotEqualTo(200);
    mesh.apply(serviceEntry());
    await().atMost(Duration.ofSeconds(5)).until(() -> curl.fetch("http://" + EXTERNAL_HOST + "/hostname").status() == 200);
    MeshClient.Fetched headers = curl.fetch("http://" + EXTERNAL_HOST + "/headers");
    assertThat(headers.status()).isEqualTo(200);
    assertThat(headers.body()).as("the external service sees the name the app called").contains(EXTERNAL_HOST);
    assertThat(curl.fetch("http://" + EXTERNAL_HOST + "/hostname").body()).contains("\"registered\"");
  }

  @Test
  @Order(5)
  void registryOnlyBlocksWhatIsNotRegisteredWhileTheServiceEntryHostWorks() {
    mesh.apply(Weft.HTTPBIN_MESH.resolve("networking/sidecar-registry-only.yaml"));
    await().atMost(Duration.ofSeconds(5)).until(() -> curl.fetch(unregisteredUrl()).status() == 502);

    assertThat(curl.fetch("http://" + EXTERNAL_HOST + "/hostname").status()).isEqualTo(200);
    assertThat(curl.fetch("http://httpbin:8000/hostname").status()).as("a Service of the mesh").isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(curl.fetch(unregisteredUrl()).status()).isEqualTo(502);
    }
    assertThat(curlViaSidecar("https://localhost:" + secure.port() + "/").output())
        .as("CONNECT to an unregistered host: block_all's 502").contains("HTTP/1.1 502");
    assertThat(secure.requestCount()).as("only the call under ALLOW_ANY").isEqualTo(1);
  }
}
