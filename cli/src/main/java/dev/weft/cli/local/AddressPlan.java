package dev.weft.cli.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each process of a local mesh listens; weftd and the ingress gateway's listeners are on 127.0.0.1.
 *
 * <p>{@link Mode#ADDRESSES}, the default: Linux routes all of 127.0.0.0/8 to the loopback device, so every
 * workload gets its own address, {@code 127.0.<block>.<2+i>}, like a pod IP. Its app keeps its real port (9080)
 * and its sidecar keeps Istio's ports (admin 15000, outbound 15001, inbound 15006+k, health 15021, Prometheus
 * 15090), all below the kernel's ephemeral port range, so no client socket can hold one of them.
 *
 * <p>{@link Mode#PORT_BLOCKS}, for hosts where only 127.0.0.1 works: every process is on 127.0.0.1 and workload {@code i} owns the 100 ports from
 * {@code 20000 + 2000*(block-1) + 100*i}, laid out like Istio's: +0 admin, +1 outbound, +6+k inbound, +21 health,
 * +90 Prometheus, +50+k for the app's k-th port, and +70.. for egress listeners (TCP dependencies). Blocks from
 * 7 on reach Linux's ephemeral ports (32768 and up), where a client connection's local port can take one.
 */
public record AddressPlan(Mode mode, int block) {

  /** How workloads are told apart on loopback. */
  public enum Mode { ADDRESSES, PORT_BLOCKS }

  public static final int ADMIN = 15000;
  public static final int OUTBOUND = 15001;
  public static final int INBOUND = 15006;
  public static final int HEALTH = 15021;
  public static final int STATS = 15090;
  /** Where weftd binds a local gateway's listeners, so the ingress URL is {@code http://127.0.0.1:<port>}. */
  public static final String INGRESS_IP = "127.0.0.1";
  /** Ports per workload: inbound listeners 15006.. stop short of 15021. */
  public static final int MAX_PORTS = HEALTH - INBOUND;
  /** Workloads per mesh with their own addresses: .2 to .254. */
  static final int MAX_ADDRESSED_WORKLOADS = 253;
  /** Workloads per mesh with port blocks: 19 blocks of 100 ports, the 20th is the gateway's. */
  static final int MAX_BLOCKED_WORKLOADS = 19;
  private static final int FIRST_BLOCK_PORT = 20000;
  private static final int PORTS_PER_MESH = 2000;
  private static final int PORTS_PER_WORKLOAD = 100;
  private static final int APP_OFFSET = 50;
  /** Egress listeners of a port block: +70 to +89. */
  private static final int EGRESS_OFFSET = 70;
  private static final int MAX_BLOCK_EGRESS = 20;
  /** With addresses, where egress listeners go whose service port the workload already uses. */
  private static final int SPARE_EGRESS_PORT = 15100;

  public static final AddressPlan DEFAULT = new AddressPlan(Mode.ADDRESSES, 1);

  public AddressPlan {
    int maxBlock = mode == Mode.ADDRESSES ? 254 : (65536 - FIRST_BLOCK_PORT) / PORTS_PER_MESH;
    if (block < 1 || block > maxBlock) {
      throw new IllegalArgumentException("address block " + block + " is not in 1-" + maxBlock);
    }
  }

  /**
   * The {@code index}-th workload (0-based) of the mesh, serving {@code ports}, with an egress listener for every
   * TCP port of {@code services}.
   */
  public WorkloadAddress workload(int index, List<Integer> ports, List<LocalMesh.ServiceRef> services) {
    WorkloadAddress address = workload(index, ports);
    List<WorkloadAddress.Egress> egress = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    if (mode == Mode.ADDRESSES) {
      taken.addAll(List.of(address.admin(), address.outbound(), address.health(), address.stats()));
      address.ports().forEach(p -> {
        taken.add(p.proxy());
        taken.add(p.app());
      });
    }
    int next = mode == Mode.ADDRESSES ? SPARE_EGRESS_PORT : blockStart() + PORTS_PER_WORKLOAD * index + EGRESS_OFFSET;
    List<LocalMesh.ServiceRef> sorted = services.stream()
        .sorted(Comparator.comparing(LocalMesh.ServiceRef::host)).toList();
    for (LocalMesh.ServiceRef service : sorted) {
      for (int port : service.tcpPorts().stream().sorted().toList()) {
        int listen;
        if (mode == Mode.ADDRESSES && !taken.contains(port)) {
          listen = port;
        } else {
          while (taken.contains(next)) {
            next++;
          }
          listen = next;
        }
        taken.add(listen);
        egress.add(new WorkloadAddress.Egress(service, port, listen));
      }
    }
    if (mode == Mode.PORT_BLOCKS && egress.size() > MAX_BLOCK_EGRESS) {
      throw new IllegalArgumentException("a workload has at most " + MAX_BLOCK_EGRESS + " TCP dependencies in "
          + mode + " mode (the mesh's Services have " + egress.size() + " TCP ports); try --addressing ADDRESSES");
    }
    return new WorkloadAddress(address.ip(), address.admin(), address.outbound(), address.health(), address.stats(),
        address.ports(), egress);
  }

  /** The {@code index}-th workload (0-based) of the mesh, serving {@code ports}, without egress listeners. */
  public WorkloadAddress workload(int index, List<Integer> ports) {
    if (ports.size() > MAX_PORTS) {
      throw new IllegalArgumentException("a workload has at most " + MAX_PORTS + " ports");
    }
    int max = mode == Mode.ADDRESSES ? MAX_ADDRESSED_WORKLOADS : MAX_BLOCKED_WORKLOADS;
    if (index < 0 || index >= max) {
      throw new IllegalArgumentException("a local mesh holds at most " + max + " workloads in " + mode + " mode");
    }
    if (mode == Mode.ADDRESSES) {
      List<WorkloadAddress.PortMapping> mappings = new ArrayList<>();
      for (int k = 0; k < ports.size(); k++) {
        mappings.add(new WorkloadAddress.PortMapping(ports.get(k), INBOUND + k, ports.get(k)));
      }
      return new WorkloadAddress("127.0." + block + "." + (index + 2), ADMIN, OUTBOUND, HEALTH, STATS, mappings);
    }
    return portBlock(blockStart() + PORTS_PER_WORKLOAD * index, ports);
  }

  /**
   * The ingress gateway's own ports (admin, health, Prometheus): with addresses on {@code 127.0.<block>.1}, so
   * meshes of two blocks can run side by side; its listeners are on {@link #INGRESS_IP}.
   */
  public WorkloadAddress gateway() {
    if (mode == Mode.ADDRESSES) {
      return new WorkloadAddress("127.0." + block + ".1", ADMIN, OUTBOUND, HEALTH, STATS, List.of());
    }
    return portBlock(blockStart() + PORTS_PER_WORKLOAD * MAX_BLOCKED_WORKLOADS, List.of());
  }

  /** Where a client reaches the ingress gateway's listener on {@code port}: {@code scheme://127.0.0.1:port}. */
  public String ingressUrl(String scheme, int port) {
    return scheme + "://" + INGRESS_IP + ":" + port;
  }

  private int blockStart() {
    return FIRST_BLOCK_PORT + PORTS_PER_MESH * (block - 1);
  }

  private static WorkloadAddress portBlock(int start, List<Integer> ports) {
    List<WorkloadAddress.PortMapping> mappings = new ArrayList<>();
    for (int k = 0; k < ports.size(); k++) {
      mappings.add(new WorkloadAddress.PortMapping(ports.get(k), start + INBOUND % 100 + k, start + APP_OFFSET + k));
    }
    return new WorkloadAddress(INGRESS_IP, start + ADMIN % 100, start + OUTBOUND % 100, start + HEALTH % 100,
        start + STATS % 100, mappings);
  }
}
