package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortCheckTest {

  private static final WorkloadSpec APP = new WorkloadSpec("app", "default", "default", Map.of(), List.of(9080),
      new WorkloadSpec.Executable(List.of("x")), Map.of(), Optional.empty(), false);

  @Test
  void theMeshNeedsTheGatewayIngressAndEveryWorkloadsPorts() {
    LocalMesh mesh = new LocalMesh(Path.of("."), List.of(), List.of(APP), List.of(), Optional.of(8080));
    assertThat(PortCheck.endpoints(mesh, new AddressPlan(AddressPlan.Mode.PORT_BLOCKS, 1), true)).containsExactly(
        "127.0.0.1:21900", "127.0.0.1:21901", "127.0.0.1:21921", "127.0.0.1:21990", "127.0.0.1:8080",
        "127.0.0.1:20000", "127.0.0.1:20001", "127.0.0.1:20021", "127.0.0.1:20090", "127.0.0.1:20006",
        "127.0.0.1:20050");
    assertThat(PortCheck.endpoints(mesh, new AddressPlan(AddressPlan.Mode.ADDRESSES, 3), true)).contains(
        "127.0.3.1:15000", "127.0.0.1:8080", "127.0.3.2:15001", "127.0.3.2:15006", "127.0.3.2:9080");
  }

  /** Under capture the workloads listen in namespaces of their own: only the gateway's ports are on this host. */
  @Test
  void withWorkloadsInTheirOwnNamespacesOnlyTheGatewaysPortsAreChecked() {
    LocalMesh mesh = new LocalMesh(Path.of("."), List.of(), List.of(APP), List.of(), Optional.of(8080));
    assertThat(PortCheck.endpoints(mesh, new AddressPlan(AddressPlan.Mode.ADDRESSES, 3), false)).containsExactly(
        "127.0.3.1:15000", "127.0.3.1:15001", "127.0.3.1:15021", "127.0.3.1:15090", "127.0.0.1:8080");
  }

  @Test
  void aListeningPortIsTakenAndAFreeOneIsNot() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String taken = "127.0.0.1:" + busy.getLocalPort();
      int free;
      try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
        free = probe.getLocalPort();
      }
      assertThat(PortCheck.taken(List.of(taken, "127.0.0.1:" + free))).containsExactly(taken);
    }
  }
}
