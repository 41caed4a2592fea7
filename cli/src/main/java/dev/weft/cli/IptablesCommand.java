package dev.weft.cli;

import dev.weft.cli.local.CaptureRules;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft iptables}: the transparent-capture rules of a sidecar, as istio-iptables writes them. */
@Command(name = "iptables", mixinStandardHelpOptions = true,
    description = {"Print the nat rules that redirect a workload's TCP traffic to its sidecar (istio-iptables),",
        "in iptables-restore format. Apply them inside the workload's network namespace as root, e.g.",
        "  ip netns exec NS sh -c 'weft iptables | iptables-restore --noflush'"})
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

  @Override
  public Integer call() {
    for (int port : List.of(inboundPort, outboundPort)) {
      if (port < 1 || port > 65535) {
        spec.commandLine().getErr().println("weft: " + port + " is not a port (1-65535)");
        return 2;
      }
    }
    spec.commandLine().getOut().print(
        new CaptureRules(proxyUid, proxyGid, inboundPort, outboundPort, excludeInbound).iptablesRestore());
    return 0;
  }
}
