package dev.weft.cli;

import dev.weft.cli.local.Leftovers;
import dev.weft.cli.local.LocalRuntime;
import dev.weft.cli.local.Probe;
import dev.weft.cli.local.StateStore;
import dev.weft.cli.local.StopOrder;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft down}: stops the local mesh, including what a killed {@code weft up} left running. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop every process of the local mesh: apps first, then their sidecars drain, then weftd.")
final class DownCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StateStore store = state.store();
    try {
      if (store.read().isEmpty() && store.captureBlock().isEmpty()) {
        out.println("weft: no local mesh is running (" + store.directory() + ")");
        return 0;
      }
      Probe probe = new Probe();
      Leftovers leftovers = new Leftovers(store,
          new StopOrder(probe, LocalRuntime.Options.defaults().stopGrace(), line -> out.println("weft: " + line)),
          Duration.ofSeconds(30), line -> out.println("weft: " + line));
      int stopped = leftovers.stopAll();
      out.println("weft: the mesh is down (" + stopped + " processes were running)");
      return 0;
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().println("weft: " + e.getMessage());
      return 1;
    }
  }
}
