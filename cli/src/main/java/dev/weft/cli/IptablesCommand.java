package dev.weft.cli;

import dev.weft.proxy.capture.CaptureCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code weft iptables}: the transparent-capture rules of a sidecar, as istio-iptables writes them. The options and
 * the rules are weft-proxy's ({@code weft-proxy istio-iptables}, what an injected pod's istio-init runs), so the
 * arguments go to it as they are, {@code --help} too.
 */
@Command(name = "iptables",
    description = {"Print the nat rules that redirect a workload's TCP traffic to its sidecar (istio-iptables),",
        "in iptables-restore format, or with --apply install them in the current network namespace (as root),",
        "as istio-iptables does in a pod (e.g. ip netns exec NS weft iptables --apply).",
        "weft iptables --help lists the options (those of weft-proxy istio-iptables)."})
final class IptablesCommand implements Callable<Integer> {

  private static final CaptureCommand COMMAND = new CaptureCommand("weft iptables", "weft", false,
      "install iptables (apt-get install iptables)");

  @Spec CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode = COMMAND.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    spec.commandLine().getOut().print(out.toString(StandardCharsets.UTF_8));
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().print(err.toString(StandardCharsets.UTF_8));
    spec.commandLine().getErr().flush();
    return exitCode;
  }
}
