package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload certificates that live 30 s (the agent's SECRET_TTL, as in Istio) are renewed at half life while the
 * curl workload calls httpbin over mutual TLS without pause for two minutes: both sidecars go through several
 * certificates and not one request fails, on pooled connections made under an old certificate or on new ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateRotationTest {
  private static final Duration RUN = Duration.ofMinutes(2);

  @TempDir static Path stateDir;
  private RunningMesh mesh;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(Weft.HTTPBIN_MESH, stateDir, 27, Map.of("SECRET_TTL", "30s"));
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  @Test
  void rotationUnderContinuousTrafficLosesNoRequest() throws Exception {
    KeepAliveLoad load = new KeepAliveLoad(mesh.outboundListener("curl"), "http://httpbin:8000/get", "httpbin:8000");
    Map<Integer, Integer> statuses = new TreeMap<>();
    int socketErrors = 0;
    Set<String> httpbinSerials = new TreeSet<>();
    Set<String> curlSerials = new TreeSet<>();
    long end = System.nanoTime() + RUN.toNanos();
    long nextLook = 0;
    while (System.nanoTime() < end) {
      KeepAliveLoad.Result batch = load.run(1, 10);
      batch.statuses().forEach((status, n) -> statuses.merge(status, n, Integer::sum));
      socketErrors += batch.socketErrors();
      if (System.nanoTime() >= nextLook) {
        httpbinSerials.add(workloadCertificateSerial(mesh.sidecarAdmin("httpbin")));
        curlSerials.add(workloadCertificateSerial(mesh.sidecarAdmin("curl")));
        nextLook = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      }
      // Paced, so that two minutes of traffic stay a bounded load on a small CI machine.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }

    System.out.printf("certificate rotation: %s in %s; httpbin went through %d certificates, curl through %d%n",
        statuses, RUN, httpbinSerials.size(), curlSerials.size());
    assertThat(statuses.keySet()).as("statuses " + statuses).containsExactly(200);
    assertThat(socketErrors).isZero();
    assertThat(statuses.get(200)).isGreaterThan(1000);
    // 30 s certificates renewed at half life: a new one every 15 s, so about 8 in two minutes.
    assertThat(httpbinSerials).as("httpbin's certificates").hasSizeGreaterThanOrEqualTo(4);
    assertThat(curlSerials).as("curl's certificates").hasSizeGreaterThanOrEqualTo(4);
    String mtls = ProxyStats.outbound(8000, "httpbin.default.svc.cluster.local", "ssl.handshake");
    assertThat(ProxyStats.counter(mesh.sidecarAdmin("curl"), mtls)).as(mtls).isPositive();
  }

  /** The serial number of the sidecar's own workload certificate, from its admin /certs. */
  private static String workloadCertificateSerial(String admin) throws IOException {
    JsonNode certs = new ObjectMapper().readTree(Http.get(admin + "/certs").body());
    for (JsonNode certificate : certs.path("certificates")) {
      for (JsonNode chain : certificate.path("cert_chain")) {
        for (JsonNode san : chain.path("subject_alt_names")) {
          if (san.path("uri").asText().startsWith("spiffe://")) {
            return chain.path("serial_number").asText();
          }
        }
      }
    }
    throw new AssertionError("no workload certificate in " + admin + "/certs: " + certs);
  }
}
