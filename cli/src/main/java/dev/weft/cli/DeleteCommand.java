package dev.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft delete -f FILE}: removes the config the file names from the running weftd, like kubectl delete. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete the Istio config named in the files from the running mesh.",
        "Exit status: 0 deleted, 1 rejected, a resource not found (unless --ignore-not-found) or no mesh running."})
final class DeleteCommand extends ConfigChange implements Callable<Integer> {

  @Option(names = "--ignore-not-found", description = "A resource that is not there is not an error.")
  boolean ignoreNotFound;

  @Override
  public Integer call() {
    return run(true, ignoreNotFound);
  }
}
