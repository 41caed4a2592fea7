package dev.weft.cli.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks, before anything starts, that every address and port the mesh will listen on is free, so a port
 * taken by another program (or another mesh) is one clear message instead of a proxy that never gets ready.
 */
public final class PortCheck {

  private PortCheck() {}

  /**
   * Every {@code ip:port} on this host the mesh's gateway, and unless they run in network namespaces of their own
   * ({@code workloadsOnHost} false under capture), its apps and sidecars will bind.
   */
  public static List<String> endpoints(LocalMesh mesh, AddressPlan plan, boolean workloadsOnHost) {
    Set<String> endpoints = new LinkedHashSet<>();
    if (mesh.ingressPort().isPresent()) {
      WorkloadAddress gateway = plan.gateway();
      addProxy(endpoints, gateway);
      endpoints.add(AddressPlan.INGRESS_IP + ":" + mesh.ingressPort().get());
    }
    for (int i = 0; workloadsOnHost && i < mesh.workloads().size(); i++) {
      WorkloadAddress address = plan.workload(i, mesh.workloads().get(i).ports(), mesh.services());
      addProxy(endpoints, address);
      address.egress().forEach(e -> endpoints.add(address.ip() + ":" + e.listen()));
      address.ports().forEach(p -> {
        endpoints.add(address.ip() + ":" + p.proxy());
        endpoints.add(address.ip() + ":" + p.app());
      });
    }
    return List.copyOf(endpoints);
  }

  private static void addProxy(Set<String> endpoints, WorkloadAddress address) {
    for (int port : List.of(address.admin(), address.outbound(), address.health(), address.stats())) {
      endpoints.add(address.ip() + ":" + port);
    }
  }

  /** The endpoints that something already listens on. */
  public static List<String> taken(List<String> endpoints) {
    List<String> taken = new ArrayList<>();
    for (String endpoint : endpoints) {
      int colon = endpoint.lastIndexOf(':');
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(endpoint.substring(0, colon)),
            Integer.parseInt(endpoint.substring(colon + 1))));
      } catch (IOException e) {
        taken.add(endpoint);
      }
    }
    return taken;
  }
}
