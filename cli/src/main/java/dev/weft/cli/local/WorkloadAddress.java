package dev.weft.cli.local;

import java.util.List;

/**
 * Where one workload's processes listen: the app on {@code ports[i].app()}, its sidecar's admin, outbound,
 * health and Prometheus listeners, and for each app port the sidecar port that accepts its inbound traffic.
 */
public record WorkloadAddress(String ip, int admin, int outbound, int health, int stats, List<PortMapping> ports) {

  /** Clients reach workload port {@code port} at the sidecar's {@code proxy} port; the app serves {@code app}. */
  public record PortMapping(int port, int proxy, int app) {}

  public WorkloadAddress {
    ports = List.copyOf(ports);
  }

  public String url(int port) {
    return "http://" + ip + ":" + port;
  }
}
