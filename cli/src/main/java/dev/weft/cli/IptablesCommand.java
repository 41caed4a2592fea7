package dev.weft.cli;

import dev.weft.cli.local.CaptureRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft iptables}: the transparent-capture rules of a sidecar, as istio-iptables writes them. */
@Command(name = "iptables", mixinStandardHelpOptions = true,
    description = {"Print the nat rules that redirect a workload's TCP traffic to its sidecar (istio-iptables),",
        "in iptables-restore format, or with --apply install them in the current network namespace (as root),",
        "as istio-iptables does in a pod (e.g. ip netns exec NS weft iptables --apply)."})
final class IptablesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-u", "--proxy-uid"}, paramLabel = "UID", defaultValue = "1337",
      description = "User the proxy runs as; its traffic is not captured (default: ${DEFAULT-VALUE}).")
  int proxyUid;

  @Option(names = {"-g", "--proxy-gid"}, paramLabel = "GID", defaultValue = "1337",
      description = "Group the proxy runs as (default: ${DEFAULT-VALUE}).")
  int proxyGid;

  @Option(names = {"-b", "--inbound-capture-port"}, paramLabel = "PORT", defaultValue = "15006",
      description = "Where inbound TCP is redirected (default: ${DEFAULT-VALUE}).")
  int inboundPort;

  @Option(names = {"-p", "--outbound-capture-port"}, paramLabel = "PORT", defaultValue = "15001",
      description = "Where outbound TCP is redirected (default: ${DEFAULT-VALUE}).")
  int outboundPort;

  @Option(names = {"-d", "--exclude-inbound-ports"}, paramLabel = "PORTS", split = ",",
      defaultValue = "15090,15021,15020", description = "Inbound ports left alone (default: ${DEFAULT-VALUE}).")
  List<Integer> excludeInbound = new ArrayList<>();

  @Option(names = "--include-inbound-ports", paramLabel = "PORTS", defaultValue = "*",
      description = "Inbound ports captured: * for all but the excluded, a list, or empty for none"
          + " (traffic.sidecar.istio.io/includeInboundPorts; default: ${DEFAULT-VALUE}).")
  String includeInbound;

  @Option(names = "--include-outbound-ranges", paramLabel = "CIDRS", defaultValue = "*",
      description = "IPv4 CIDRs whose outbound TCP is captured: *, a list, or empty for none"
          + " (includeOutboundIPRanges; default: ${DEFAULT-VALUE}).")
  String includeOutboundRanges;

  @Option(names = "--exclude-outbound-ranges", paramLabel = "CIDRS", defaultValue = "",
      description = "IPv4 CIDRs never captured (excludeOutboundIPRanges).")
  String excludeOutboundRanges;

  @Option(names = "--exclude-outbound-ports", paramLabel = "PORTS", defaultValue = "",
      description = "Outbound ports never captured (excludeOutboundPorts).")
  String excludeOutboundPorts;

  @Option(names = "--apply", description = "Install the rules here with iptables-restore --noflush instead of printing.")
  boolean apply;

  @Override
  public Integer call() {
    for (int port : List.of(inboundPort, outboundPort)) {
      if (port < 1 || port > 65535) {
        spec.commandLine().getErr().println("weft: " + port + " is not a port (1-65535)");
        return 2;
      }
    }
    CaptureRules rules;
    try {
      CaptureRules.Selection inbound = CaptureRules.Selection.parse(includeInbound);
      inbound.listed().forEach(IptablesCommand::port);
      CaptureRules.Selection outbound = CaptureRules.Selection.parse(includeOutboundRanges);
      outbound.listed().forEach(IptablesCommand::ipv4Range);
      List<String> excludedRanges = CaptureRules.split(excludeOutboundRanges);
      excludedRanges.forEach(IptablesCommand::ipv4Range);
      List<Integer> excludedPorts = CaptureRules.split(excludeOutboundPorts).stream().map(IptablesCommand::port)
          .toList();
      rules = new CaptureRules(proxyUid, proxyGid, inboundPort, outboundPort, excludeInbound, inbound, outbound,
          excludedRanges, excludedPorts);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("weft: " + e.getMessage());
      return 2;
    }
    if (!apply) {
      spec.commandLine().getOut().print(rules.iptablesRestore());
      return 0;
    }
    Optional<String> failed = rules.apply();
    if (failed.isPresent()) {
      spec.commandLine().getErr().println("weft: the rules were not applied: " + failed.get());
      return 1;
    }
    spec.commandLine().getOut().println("weft: capture rules applied (inbound to " + inboundPort + ", outbound to "
        + outboundPort + ", proxy uid " + proxyUid + " / gid " + proxyGid + " exempt)");
    return 0;
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(value + " is not a port (1-65535)");
  }

  /** The nat table of iptables is IPv4's: an IPv6 range would make iptables-restore refuse every rule. */
  private static void ipv4Range(String cidr) {
    if (!cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
      throw new IllegalArgumentException(cidr + " is not an IPv4 CIDR (weft iptables captures IPv4)");
    }
  }
}
