package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPlanTest {

  private static final AddressPlan ADDRESSES = new AddressPlan(AddressPlan.Mode.ADDRESSES, 7);
  private static final AddressPlan BLOCKS = new AddressPlan(AddressPlan.Mode.PORT_BLOCKS, 2);

  @Test
  void withAddressesEachWorkloadKeepsItsPortsAndIstiosSidecarPorts() {
    assertThat(ADDRESSES.workload(0, List.of(9080, 9443), List.of())).isEqualTo(new WorkloadAddress("127.0.7.2", 15000, 15001,
        15021, 15090, List.of(new WorkloadAddress.PortMapping(9080, 15006, 9080),
            new WorkloadAddress.PortMapping(9443, 15007, 9443))));
    assertThat(ADDRESSES.workload(252, List.of(), List.of()).ip()).isEqualTo("127.0.7.254");
    assertThat(ADDRESSES.gateway()).isEqualTo(new WorkloadAddress("127.0.7.1", 15000, 15001, 15021, 15090, List.of()));
    assertThat(ADDRESSES.ingressUrl("http", 8080)).isEqualTo("http://127.0.0.1:8080");
    assertThat(ADDRESSES.ingressUrl("tcp", 31400)).as("a TCP ingress is no web page").isEqualTo("tcp://127.0.0.1:31400");
    assertThatThrownBy(() -> ADDRESSES.workload(253, List.of(), List.of())).hasMessageContaining("at most 253 workloads");
    assertThatThrownBy(() -> new AddressPlan(AddressPlan.Mode.ADDRESSES, 0)).hasMessageContaining("not in 1-254");
  }

  @Test
  void withPortBlocksEachWorkloadOwnsAHundredPortsLaidOutLikeIstios() {
    assertThat(BLOCKS.workload(1, List.of(9080, 9443), List.of())).isEqualTo(new WorkloadAddress("127.0.0.1", 22100, 22101,
        22121, 22190, List.of(new WorkloadAddress.PortMapping(9080, 22106, 22150),
            new WorkloadAddress.PortMapping(9443, 22107, 22151))));
    assertThat(BLOCKS.gateway().admin()).isEqualTo(23900);
    assertThatThrownBy(() -> BLOCKS.workload(19, List.of(), List.of())).hasMessageContaining("at most 19 workloads");
    assertThatThrownBy(() -> new AddressPlan(AddressPlan.Mode.PORT_BLOCKS, 23)).hasMessageContaining("not in 1-22");
  }

  @Test
  void noTwoListenersOfAMeshShareAnAddressAndPort() {
    for (AddressPlan plan : List.of(ADDRESSES, BLOCKS)) {
      List<String> endpoints = new java.util.ArrayList<>();
      for (int i = 0; i < 19; i++) {
        WorkloadAddress a = plan.workload(i, List.of(9080, 9090),
            List.of(new LocalMesh.ServiceRef("tcp-echo", "default", 9000, List.of(9000, 9090))));
        a.egress().forEach(e -> endpoints.add(a.ip() + ":" + e.listen()));
        for (int port : List.of(a.admin(), a.outbound(), a.health(), a.stats())) {
          endpoints.add(a.ip() + ":" + port);
        }
        a.ports().forEach(p -> {
          endpoints.add(a.ip() + ":" + p.proxy());
          endpoints.add(a.ip() + ":" + p.app());
        });
      }
      WorkloadAddress gateway = plan.gateway();
      endpoints.add(gateway.ip() + ":" + gateway.admin());
      assertThat(endpoints).as(plan.mode().name()).doesNotHaveDuplicates();
      assertThat(Collections.frequency(endpoints, "127.0.0.1:8080")).isZero();
    }
  }

  @Test
  void egressListenersTakeTheServicePortOnTheWorkloadsAddressOrTheBlocksEgressRange() {
    LocalMesh.ServiceRef echo = new LocalMesh.ServiceRef("tcp-echo", "default", 9000, List.of(9000));
    LocalMesh.ServiceRef mongo = new LocalMesh.ServiceRef("mongodb", "default", 27017, List.of(27017, 9080));
    List<LocalMesh.ServiceRef> services = List.of(echo, mongo);
    assertThat(ADDRESSES.workload(0, List.of(9080), services).egress()).containsExactly(
        new WorkloadAddress.Egress(mongo, 9080, 15100), new WorkloadAddress.Egress(mongo, 27017, 27017),
        new WorkloadAddress.Egress(echo, 9000, 9000));
    assertThat(BLOCKS.workload(1, List.of(9080), services).egress()).containsExactly(
        new WorkloadAddress.Egress(mongo, 9080, 22170), new WorkloadAddress.Egress(mongo, 27017, 22171),
        new WorkloadAddress.Egress(echo, 9000, 22172));
    List<Integer> many = java.util.stream.IntStream.rangeClosed(1, 21).boxed().toList();
    assertThatThrownBy(() -> BLOCKS.workload(0, List.of(), List.of(new LocalMesh.ServiceRef("big", "default", 1, many))))
        .hasMessageContaining("at most 20 TCP dependencies");
  }

  @Test
  void aWorkloadHasAtMostFifteenPorts() {
    List<Integer> sixteen = java.util.stream.IntStream.rangeClosed(1, 16).boxed().toList();
    assertThatThrownBy(() -> BLOCKS.workload(0, sixteen, List.of())).hasMessageContaining("at most 15 ports");
  }

  /**
   * The ADDRESSES design rests on this: two workloads bind the same port on their own loopback addresses, and
   * each address reaches its own listener. Port 0 picks a port free on the first address.
   */
  @Test
  void twoWorkloadsShareAPortOnTheirOwnAddresses() throws IOException {
    AddressPlan plan = new AddressPlan(AddressPlan.Mode.ADDRESSES, 231);
    String first = plan.workload(0, List.of(), List.of()).ip();
    String second = plan.workload(1, List.of(), List.of()).ip();
    try (ServerSocket one = new ServerSocket(0, 50, InetAddress.getByName(first))) {
      int port = one.getLocalPort();
      try (ServerSocket two = new ServerSocket(port, 50, InetAddress.getByName(second))) {
        assertThat(answer(one, first, port, '1')).isEqualTo('1');
        assertThat(answer(two, second, port, '2')).isEqualTo('2');
      }
    }
  }

  private static char answer(ServerSocket server, String ip, int port, char mark) throws IOException {
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress(ip, port), 1000);
      try (Socket accepted = server.accept(); OutputStream out = accepted.getOutputStream()) {
        out.write(mark);
        out.flush();
        InputStream in = client.getInputStream();
        return (char) in.read();
      }
    }
  }
}
