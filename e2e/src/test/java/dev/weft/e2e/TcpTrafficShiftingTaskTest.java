package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's "TCP traffic shifting" task (examples/tcp-echo/mesh) with the task's own files applied unchanged:
 * through the ingress gateway's TCP port 31400 every connection reaches tcp-echo v1, then 80 % v1 and 20 % v2;
 * an app of the mesh reaches tcp-echo through its sidecar's TCP egress listener.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TcpTrafficShiftingTaskTest {
  private static final Path TCP_ECHO_MESH = Weft.REPOSITORY.resolve("examples/tcp-echo/mesh");
  private static final Path TASK = Weft.ISTIO_SAMPLES.resolve("tcp-echo");

  @TempDir static Path stateDir;
  private RunningMesh mesh;

  @BeforeAll
  void up() {
    mesh = RunningMesh.up(TCP_ECHO_MESH, stateDir, 17);
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private InetSocketAddress ingress() {
    URI ingress = URI.create(mesh.ingress());
    return new InetSocketAddress(ingress.getHost(), ingress.getPort());
  }

  /** One connection: sends a line and returns the echo, or the error when there is none. */
  private static String echo(InetSocketAddress target, String line) {
    try (Socket socket = new Socket()) {
      socket.connect(target, 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      return reply == null ? "closed" : reply;
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** How many of {@code connections} through the ingress each version answered, by the prefix of its echo. */
  private Map<String, Integer> versions(int connections) {
    return versions(ingress(), connections);
  }

  private static Map<String, Integer> versions(InetSocketAddress target, int connections) {
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < connections; i++) {
      String reply = echo(target, "hello " + i);
      String version = reply.equals("one hello " + i) ? "v1" : reply.equals("two hello " + i) ? "v2" : reply;
      seen.merge(version, 1, Integer::sum);
    }
    return seen;
  }

  @Test
  @Order(1)
  void allConnectionsGoToV1() {
    assertThat(mesh.ingress()).as("a TCP ingress is shown as tcp://").isEqualTo("tcp://127.0.0.1:31400/");
    mesh.apply(TASK.resolve("tcp-echo-all-v1.yaml"));
    await().atMost(Duration.ofSeconds(5)).until(() -> versions(5).equals(Map.of("v1", 5)));
    assertThat(versions(20)).isEqualTo(Map.of("v1", 20));
    // Istio's TCP metrics: the gateway reports as the source, the v1 sidecar as the destination, and each names
    // the other's workload, learnt from the metadata exchange at the start of each mutual TLS connection.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(Http.get(mesh.gatewayAdmin() + "/stats/prometheus").body()).containsPattern(
          "istio_tcp_connections_closed_total\\{reporter=\"source\",source_workload=\"istio-ingressgateway\".*"
              + "destination_workload=\"tcp-echo-v1\".*destination_service_name=\"tcp-echo\".*"
              + "request_protocol=\"tcp\".*} ([2-9][0-9]|[1-9][0-9]{2,})\n");
      assertThat(Http.get(mesh.sidecarAdmin("tcp-echo-v1") + "/stats/prometheus").body()).containsPattern(
          "istio_tcp_received_bytes_total\\{reporter=\"destination\",source_workload=\"istio-ingressgateway\".*"
              + "destination_workload=\"tcp-echo-v1\".*destination_service_name=\"tcp-echo\".*"
              + "connection_security_policy=\"mutual_tls\".*} [1-9][0-9]*\n");
    });
  }

  @Test
  @Order(2)
  void eightyTwentyShiftsAFifthOfTheConnectionsToV2() {
    mesh.apply(TASK.resolve("tcp-echo-20-v2.yaml"));
    await().atMost(Duration.ofSeconds(5)).until(() -> versions(10).containsKey("v2"));
    Map<String, Integer> seen = versions(100);
    assertThat(seen).containsOnlyKeys("v1", "v2");
    // Bin(100, 0.2) lands outside 6..37 with a probability below 1e-4.
    assertThat(seen.get("v2")).isBetween(6, 37);
  }

  /**
   * An app inside the mesh reaches tcp-echo through its sidecar's egress listener for the TCP port (explicit
   * capture has no HTTP proxy for TCP). The task's VirtualService is bound to the gateway only, so inside the
   * mesh both versions answer in turn.
   */
  @Test
  @Order(3)
  void aMeshAppReachesBothVersionsThroughItsSidecarsEgressListener() {
    InetSocketAddress egress = mesh.egressListener("tcp-echo-v1", "tcp-echo.default.svc.cluster.local", 9000);
    Map<String, Integer> seen = versions(egress, 20);
    assertThat(seen).containsOnlyKeys("v1", "v2");
  }
}
