package dev.weft.cli.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network of a mesh under transparent capture ({@code weft up --capture iptables}), as names and addresses:
 * every workload in its own network namespace {@code weft<B>-<name>-<namespace>}, joined to the host by a veth
 * pair whose host end is a port of the bridge {@code weft<B>br}. The bridge holds {@code 10.250.B.1/24}, the
 * workloads' gateway; workload {@code i} is {@code 10.250.B.(i+2)}, like a pod IP. Services have no ClusterIP
 * here, so each Service gets a virtual IP {@code 10.251.B.(k+1)} (k-th by host name), which weftd
 * learns as its address and each namespace's {@code /etc/hosts} maps its names to; nothing answers on a VIP,
 * iptables sends connections to it to the sidecar, which routes by the VIP's service.
 */
public record CaptureNetwork(int block, List<Member> members, Map<String, String> serviceAddresses) {

  /** Workloads per mesh: .2 to .254 of the block's /24. */
  static final int MAX_WORKLOADS = 253;
  static final int MAX_SERVICES = 254;
  private static final String NAME_PREFIX = "weft";

  /** One workload's namespace: its name, address, and the host end of its veth pair. */
  public record Member(String workload, String namespace, String netns, String hostVeth, String ip) {}

  public CaptureNetwork {
    if (block < 1 || block > 254) {
      throw new IllegalArgumentException("address block " + block + " is not in 1-254");
    }
    members = List.copyOf(members);
    serviceAddresses = Map.copyOf(serviceAddresses);
  }

  /** The plan for {@code mesh} in {@code block}. */
  public static CaptureNetwork of(int block, LocalMesh mesh) {
    if (mesh.workloads().size() > MAX_WORKLOADS) {
      throw new IllegalArgumentException("a local mesh holds at most " + MAX_WORKLOADS + " workloads with capture");
    }
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < mesh.workloads().size(); i++) {
      WorkloadSpec workload = mesh.workloads().get(i);
      members.add(new Member(workload.name(), workload.namespace(),
          prefix(block) + "-" + workload.name() + "-" + workload.namespace(), prefix(block) + "v" + i,
          "10.250." + block + "." + (i + 2)));
    }
    List<LocalMesh.ServiceRef> services = mesh.services().stream()
        .sorted(java.util.Comparator.comparing(LocalMesh.ServiceRef::host)).toList();
    if (services.size() > MAX_SERVICES) {
      throw new IllegalArgumentException("a local mesh holds at most " + MAX_SERVICES + " Services with capture");
    }
    Map<String, String> addresses = new LinkedHashMap<>();
    for (int k = 0; k < services.size(); k++) {
      addresses.put(services.get(k).host(), "10.251." + block + "." + (k + 1));
    }
    return new CaptureNetwork(block, members, addresses);
  }

  /** A workload in its namespace: the app on its own ports, the sidecar on Istio's, inbound through 15006. */
  static WorkloadAddress address(String ip, List<Integer> ports) {
    List<WorkloadAddress.PortMapping> mappings = ports.stream()
        .map(port -> new WorkloadAddress.PortMapping(port, AddressPlan.INBOUND, port)).toList();
    return new WorkloadAddress(ip, AddressPlan.ADMIN, AddressPlan.OUTBOUND, AddressPlan.HEALTH, AddressPlan.STATS,
        mappings);
  }

  /** Every name this block's network uses starts with this (and a dash or a letter after it). */
  static String prefix(int block) {
    return NAME_PREFIX + block;
  }

  public String bridge() {
    return bridge(block);
  }

  static String bridge(int block) {
    return prefix(block) + "br";
  }

  /** The host's address on the bridge: the workloads' default gateway, where they reach weftd. */
  public String hostIp() {
    return "10.250." + block + ".1";
  }

  public String subnet() {
    return "10.250." + block + ".0/24";
  }

  /** The host's nat chain that lets the namespaces reach weftd's loopback-bound xDS port. */
  public String hostChain() {
    return hostChain(block);
  }

  static String hostChain(int block) {
    return "WEFT" + block;
  }

  public Optional<Member> member(String workload, String namespace) {
    return members.stream().filter(m -> m.workload().equals(workload) && m.namespace().equals(namespace))
        .findFirst();
  }

  /**
   * The {@code /etc/hosts} of a member's namespace: its own name, and every Service by
   * {@code name.namespace.svc.cluster.local}, {@code name.namespace.svc}, {@code name.namespace}, and by its short
   * name when it is in the member's Kubernetes namespace, as the search domains of a pod resolve them.
   */
  public String hosts(Member member, List<LocalMesh.ServiceRef> services) {
    StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n");
    hosts.append(member.ip()).append('\t').append(member.workload()).append('\n');
    for (LocalMesh.ServiceRef service : services) {
      String address = serviceAddresses.get(service.host());
      if (address == null) {
        continue;
      }
      String qualified = service.name() + "." + service.namespace();
      hosts.append(address).append('\t').append(service.host()).append(' ').append(qualified).append(".svc ")
          .append(qualified);
      if (service.namespace().equals(member.namespace())) {
        hosts.append(' ').append(service.name());
      }
      hosts.append('\n');
    }
    return hosts.toString();
  }
}
