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
import org.junit.jupiter.api.Test;

class AddressPlanTest {

  @Test
  void workloadsGetConsecutiveAddressesInTheirBlock() {
    AddressPlan plan = new AddressPlan(7);
    assertThat(plan.workloadIp(0)).isEqualTo("127.0.7.2");
    assertThat(plan.workloadIp(252)).isEqualTo("127.0.7.254");
    assertThatThrownBy(() -> plan.workloadIp(253)).hasMessageContaining("at most 253 workloads");
    assertThatThrownBy(() -> new AddressPlan(0)).hasMessageContaining("not in 1-254");
    assertThat(AddressPlan.inboundPort(0)).isEqualTo(15006);
    assertThat(AddressPlan.inboundPort(1)).isEqualTo(15007);
    assertThat(AddressPlan.inboundPort(14)).isEqualTo(15020);
    assertThatThrownBy(() -> AddressPlan.inboundPort(15)).hasMessageContaining("at most 15 ports");
  }

  /**
   * The design rests on this: two workloads bind the same port on their own loopback addresses, and each
   * address reaches its own listener. Port 0 picks a port free on the first address.
   */
  @Test
  void twoWorkloadsShareAPortOnTheirOwnAddresses() throws IOException {
    AddressPlan plan = new AddressPlan(231);
    try (ServerSocket first = new ServerSocket(0, 50, InetAddress.getByName(plan.workloadIp(0)))) {
      int port = first.getLocalPort();
      try (ServerSocket second = new ServerSocket(port, 50, InetAddress.getByName(plan.workloadIp(1)))) {
        assertThat(answer(first, plan.workloadIp(0), port)).isEqualTo('1');
        assertThat(answer(second, plan.workloadIp(1), port)).isEqualTo('2');
      }
    }
  }

  private static char answer(ServerSocket server, String ip, int port) throws IOException {
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress(ip, port), 1000);
      try (Socket accepted = server.accept(); OutputStream out = accepted.getOutputStream()) {
        out.write(server.getInetAddress().getHostAddress().endsWith(".2") ? '1' : '2');
        out.flush();
        InputStream in = client.getInputStream();
        return (char) in.read();
      }
    }
  }
}
