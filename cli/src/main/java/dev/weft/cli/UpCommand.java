package dev.weft.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft up DIR}: the whole mesh of a directory on this machine. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
        "Start weftd, an ingress gateway, and every workload of DIR with its own sidecar, on loopback.",
        "DIR holds Istio/Kubernetes YAML and weft-workloads.yaml (the processes). Runs until Ctrl-C, or",
        "detached with --detach. While the mesh of DIR runs, weft up DIR updates it with DIR's changes.",
        "Exit status: 0 up (detached), stopped or updated, 1 the mesh could not start or change."})
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;
  @Mixin AddressBlockOption addresses;

  @Parameters(paramLabel = "DIR", description = "The mesh directory.")
  Path directory;

  @Option(names = {"-d", "--detach"}, description = "Return once the mesh is up; `weft down` stops it.")
  boolean detach;

  @Option(names = "--with-observability", description = {"Also run Prometheus (this machine's prometheus) scraping"
      + " every proxy and weftd, and Zipkin receiving every proxy's spans (100%% sampling unless the mesh config"
      + " sets a rate); their URLs are printed when the mesh is up."})
  boolean withObservability;

  @Override
  public Integer call() {
    MeshRunner runner = new MeshRunner(spec.commandLine().getOut(), spec.commandLine().getErr(), state.store(),
        addresses.plan(), addresses.capture, withObservability);
    Optional<Integer> updated = runner.updateRunning(directory);
    if (updated.isPresent()) {
      return updated.get();
    }
    if (detach) {
      List<String> args = new ArrayList<>(List.of("up", directory.toAbsolutePath().toString(),
          "--state-dir", state.store().directory().toString()));
      args.addAll(addresses.args());
      if (withObservability) {
        args.add("--with-observability");
      }
      return runner.detached(args);
    }
    return runner.foreground(directory, false, List.of());
  }
}
