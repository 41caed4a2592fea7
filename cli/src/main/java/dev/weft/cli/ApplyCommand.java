package dev.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code weft apply -f FILE}: adds or replaces config in the running weftd, like kubectl apply. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Apply Istio config to the running mesh; it takes effect within a second.",
        "Each resource is reported created, configured or unchanged, as kubectl does.",
        "Exit status: 0 applied, 1 rejected (the previous config stays) or no mesh running."})
final class ApplyCommand extends ConfigChange implements Callable<Integer> {
  @Override
  public Integer call() {
    return run(false, false);
  }
}
