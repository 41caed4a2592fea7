package dev.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weft version}: prints the client version, like {@code istioctl version --remote=false}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of weft.")
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(new WeftVersion().getVersion()[0]);
    return 0;
  }
}
