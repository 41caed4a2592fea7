package dev.weft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft demo}: {@code weft up} on Bookinfo with its destination rules, light traffic and next steps. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Run the Bookinfo sample in the mesh (weft up examples/bookinfo/mesh) with light background traffic,",
        "then print three things to try with `weft apply`."})
final class DemoCommand implements Callable<Integer> {

  static final String MESH_DIR = "examples/bookinfo/mesh";
  /** What to try next, each command a {@code %s} for weft as the user runs it and a trailing {@code %s} for options. */
  private static final List<String> NEXT_STEPS = List.of(
      "route jason to reviews v2 (log in as jason to see black stars):",
      "  %s apply -f " + MESH_DIR + "/networking/virtual-service-reviews-test-v2.yaml%s",
      "inject a 7 s delay into ratings for jason:",
      "  %s apply -f " + MESH_DIR + "/networking/virtual-service-ratings-test-delay.yaml%s",
      "shift reviews 50/50 between v1 and v3 (red stars):",
      "  %s apply -f " + MESH_DIR + "/networking/virtual-service-reviews-50-v3.yaml%s",
      "see the SPIFFE identity weftd's CA gave a sidecar (mutual TLS is on, PERMISSIVE as Istio installs it):",
      "  %s proxy-config secrets productpage-v1%s",
      "require mutual TLS everywhere (callers without a sidecar are refused):",
      "  %s apply -f " + MESH_DIR + "/security/peer-authentication-mesh-strict.yaml%s");

  /**
   * The next steps as the user would type them: {@code weft} as they ran it ({@code ./weft}) and their
   * {@code --state-dir}, if they gave one.
   */
  static List<String> nextSteps(String weft, Optional<Path> stateDir) {
    String options = stateDir.map(d -> " --state-dir " + d).orElse("");
    return NEXT_STEPS.stream().map(step -> step.startsWith("  ") ? step.formatted(weft, options) : step).toList();
  }

  /** How the user ran weft: the launcher's path as typed ({@code ./weft}), else {@code weft}. */
  static String invokedAs() {
    String command = System.getProperty("weft.command", "");
    return command.isBlank() ? "weft" : command;
  }

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;
  @Mixin AddressBlockOption addresses;

  @Option(names = {"-d", "--detach"}, description = "Return once the mesh is up; `weft down` stops it.")
  boolean detach;

  @Option(names = "--with-observability", description = {"Also run Prometheus (this machine's prometheus) scraping"
      + " every proxy and weftd, and Zipkin receiving every proxy's spans (100%% sampling unless the mesh config"
      + " sets a rate); their URLs are printed when the mesh is up."})
  boolean withObservability;

  @Option(names = "--mesh-dir", hidden = true, description = "The Bookinfo mesh directory (default: the repository's).")
  Path meshDir;

  @Option(names = "--invoked-as", hidden = true, description = "How the user ran weft, for the detached demo's next"
      + " steps (default: the launcher's weft.command).")
  String invokedAs;

  @Override
  public Integer call() {
    Path directory = meshDir != null ? meshDir : home().resolve(MESH_DIR);
    if (!Files.isDirectory(directory)) {
      spec.commandLine().getErr().println("weft: cannot find the Bookinfo mesh directory " + directory
          + "; run weft from the repository (./weft demo)");
      return 1;
    }
    MeshRunner runner = new MeshRunner(spec.commandLine().getOut(), spec.commandLine().getErr(), state.store(),
        addresses.plan(), addresses.capture, withObservability);
    if (detach) {
      List<String> args = new ArrayList<>(List.of("demo", "--mesh-dir", directory.toAbsolutePath().toString(),
          "--invoked-as", invokedAs != null ? invokedAs : invokedAs()));
      if (state.stateDir != null) {
        args.addAll(List.of("--state-dir", state.stateDir.toString()));
      }
      args.addAll(addresses.args());
      if (withObservability) {
        args.add("--with-observability");
      }
      return runner.detached(args);
    }
    return runner.foreground(directory, true, nextSteps(invokedAs != null ? invokedAs : invokedAs(),
        Optional.ofNullable(state.stateDir)));
  }

  /** The repository: {@code -Dweft.home} from the launcher, else the working directory. */
  static Path home() {
    String home = System.getProperty("weft.home");
    return home != null && !home.isBlank() ? Path.of(home) : Path.of("").toAbsolutePath();
  }
}
