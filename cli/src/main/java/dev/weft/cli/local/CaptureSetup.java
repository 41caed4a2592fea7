package dev.weft.cli.local;

import dev.weft.proxy.capture.CaptureRules;
import dev.weft.proxy.capture.HostCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds and removes a {@link CaptureNetwork} with the system's own tools, as root: the bridge, a namespace per
 * workload with its veth pair, address, default route and {@code /etc/hosts} (which {@code ip netns exec}
 * bind-mounts from {@code /etc/netns/<name>/hosts}), and the istio-iptables rules inside each namespace.
 * weftd listens on the host's loopback; a DNAT rule on the bridge (with {@code route_localnet} on it alone)
 * lets the namespaces reach its xDS port at the bridge address. Removal works from the block number alone, so
 * it also clears what a killed {@code weft up} left.
 */
public final class CaptureSetup {

  static final List<String> TOOLS = List.of("ip", "iptables", "iptables-restore", "setpriv");
  private static final Path NETNS_ETC = Path.of("/etc/netns");
  private static final Pattern NETNS_LINE = Pattern.compile("^(\\S+)");

  private CaptureSetup() {}

  /** Why capture cannot run here: not root, or a tool missing; empty when it can. */
  public static List<String> missingRequirements() {
    List<String> missing = new ArrayList<>();
    long uid = uid();
    if (uid != 0) {
      missing.add("runs as uid " + uid + ", not root (network namespaces and iptables need root)");
    }
    for (String tool : TOOLS) {
      if (HostCommand.find(tool).isEmpty()) {
        missing.add(tool + " is not installed (apt-get install " + (tool.startsWith("iptables") ? "iptables"
            : tool.equals("ip") ? "iproute2" : "util-linux") + ")");
      }
    }
    return missing;
  }

  /** Creates the network; anything this block's network left before is removed first. */
  public static void create(CaptureNetwork network, List<LocalMesh.ServiceRef> services, int xdsPort,
      CaptureRules rules) throws StartException {
    remove(network.block());
    String bridge = network.bridge();
    must("ip", "link", "add", bridge, "type", "bridge");
    must("ip", "addr", "add", network.hostIp() + "/24", "dev", bridge);
    must("ip", "link", "set", bridge, "up");
    writeFile(Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet"), "1\n");
    must("iptables", "-w", "-t", "nat", "-N", network.hostChain());
    must("iptables", "-w", "-t", "nat", "-A", network.hostChain(), "-p", "tcp", "-d", network.hostIp(), "--dport",
        Integer.toString(xdsPort), "-j", "DNAT", "--to-destination", "127.0.0.1:" + xdsPort);
    must("iptables", "-w", "-t", "nat", "-I", "PREROUTING", "-i", bridge, "-j", network.hostChain());
    for (CaptureNetwork.Member member : network.members()) {
      String ns = member.netns();
      must("ip", "netns", "add", ns);
      must("ip", "link", "add", member.hostVeth(), "type", "veth", "peer", "name", "eth0", "netns", ns);
      must("ip", "link", "set", member.hostVeth(), "master", bridge, "up");
      must("ip", "-n", ns, "addr", "add", member.ip() + "/24", "dev", "eth0");
      must("ip", "-n", ns, "link", "set", "eth0", "up");
      must("ip", "-n", ns, "link", "set", "lo", "up");
      must("ip", "-n", ns, "route", "add", "default", "via", network.hostIp());
      writeFile(NETNS_ETC.resolve(ns).resolve("hosts"), network.hosts(member, services));
      HostCommand.Result applied = HostCommand.run(List.of(tool("ip"), "netns", "exec", ns,
          tool("iptables-restore"), "--noflush"), rules.iptablesRestore());
      if (!applied.ok()) {
        throw new StartException("cannot apply the capture rules in " + ns + ": " + applied.output());
      }
    }
  }

  /**
   * Removes every namespace, veth, bridge, hosts file and host rule of {@code block}; returns the namespaces
   * removed.
   */
  public static int remove(int block) {
    String prefix = CaptureNetwork.prefix(block) + "-";
    List<String> namespaces = HostCommand.run(List.of(tool("ip"), "netns", "list")).output().lines()
        .map(NETNS_LINE::matcher).filter(Matcher::find).map(m -> m.group(1)).filter(n -> n.startsWith(prefix))
        .toList();
    for (String ns : namespaces) {
      HostCommand.run(List.of(tool("ip"), "netns", "del", ns));
    }
    deleteTree(NETNS_ETC, prefix);
    // A veth whose namespace is not in this mount namespace's list (another container's run, or a namespace a
    // stray process still holds) outlives the namespace's removal; deleting the host end deletes both.
    Pattern hostVeth = Pattern.compile("^\\d+: (" + Pattern.quote(CaptureNetwork.prefix(block)) + "v\\d+)[@:]");
    HostCommand.run(List.of(tool("ip"), "-o", "link", "show")).output().lines().map(hostVeth::matcher)
        .filter(Matcher::find).map(m -> m.group(1)).toList()
        .forEach(veth -> HostCommand.run(List.of(tool("ip"), "link", "del", veth)));
    String bridge = CaptureNetwork.bridge(block);
    String chain = CaptureNetwork.hostChain(block);
    HostCommand.run(List.of(tool("ip"), "link", "del", bridge));
    HostCommand.run(List.of(tool("iptables"), "-w", "-t", "nat", "-D", "PREROUTING", "-i", bridge, "-j", chain));
    HostCommand.run(List.of(tool("iptables"), "-w", "-t", "nat", "-F", chain));
    HostCommand.run(List.of(tool("iptables"), "-w", "-t", "nat", "-X", chain));
    return namespaces.size();
  }

  private static void must(String... command) throws StartException {
    List<String> resolved = new ArrayList<>(List.of(command));
    resolved.set(0, tool(command[0]));
    HostCommand.Result result = HostCommand.run(resolved);
    if (!result.ok()) {
      throw new StartException("capture setup failed: " + String.join(" ", command) + ": " + result.output());
    }
  }

  private static String tool(String name) {
    return HostCommand.find(name).map(Path::toString).orElse(name);
  }

  private static void writeFile(Path file, String content) throws StartException {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StartException("capture setup failed: cannot write " + file + ": " + e.getMessage());
    }
  }

  /** Deletes the entries of {@code dir} whose names start with {@code prefix}, and {@code dir} if left empty. */
  private static void deleteTree(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.filter(e -> e.getFileName().toString().startsWith(prefix)).toList()) {
        try (Stream<Path> tree = Files.walk(entry)) {
          for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      try (Stream<Path> left = Files.list(dir)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(dir);
        }
      }
    } catch (IOException e) {
      // Left-over hosts files are harmless: the next setup of this block overwrites them.
    }
  }

  private static long uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
