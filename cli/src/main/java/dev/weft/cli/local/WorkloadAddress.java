package dev.weft.cli.local;

import java.util.List;

/**
 * Where one workload's processes listen: the app on {@code ports[i].app()}, its sidecar's admin, outbound,
 * health and Prometheus listeners, for each app port the sidecar port that accepts its inbound traffic, and the
 * egress listeners through which the app reaches TCP services.
 */
public record WorkloadAddress(String ip, int admin, int outbound, int health, int stats, List<PortMapping> ports,
    List<Egress> egress) {

  /** Clients reach workload port {@code port} at the sidecar's {@code proxy} port; the app serves {@code app}. */
  public record PortMapping(int port, int proxy, int app) {}

  /** The sidecar's outbound listener for one non-HTTP port of a Service, on the workload's ip at {@code listen}. */
  public record Egress(LocalMesh.ServiceRef service, int port, int listen) {}

  public WorkloadAddress {
    ports = List.copyOf(ports);
    egress = List.copyOf(egress);
  }

  /** A proxy without egress listeners (the gateway, or a workload with no TCP dependencies). */
  public WorkloadAddress(String ip, int admin, int outbound, int health, int stats, List<PortMapping> ports) {
    this(ip, admin, outbound, health, stats, ports, List.of());
  }

  public String url(int port) {
    return "http://" + ip + ":" + port;
  }
}
