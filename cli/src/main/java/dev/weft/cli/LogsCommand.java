package dev.weft.cli;

import dev.weft.cli.local.LocalRuntime;
import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.RuntimeState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft logs WORKLOAD [--proxy]}: the log of an app, of its sidecar, of weftd or of the gateway. */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print the log of a workload's app (or its sidecar with --proxy), of weftd or of istio-ingressgateway.")
final class LogsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Parameters(paramLabel = "WORKLOAD", description = "A workload name, weftd or istio-ingressgateway.")
  String workload;

  @Option(names = "--proxy", description = "The sidecar's log instead of the app's.")
  boolean proxy;

  @Option(names = "--tail", paramLabel = "N", defaultValue = "-1", description = "Only the last N lines.")
  int tail;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<RuntimeState> read;
    try {
      read = state.store().read();
    } catch (UncheckedIOException e) {
      err.println("weft: " + e.getMessage());
      return 1;
    }
    if (read.isEmpty()) {
      err.println("weft: no local mesh is running (" + state.store().directory() + ")");
      return 1;
    }
    Optional<ProcessRecord> record = LocalRuntime.find(read.get(), workload, proxy);
    if (record.isEmpty()) {
      err.println("weft: no " + (proxy ? "sidecar of " : "") + "workload \"" + workload + "\"; known: "
          + String.join(", ", read.get().processes().stream().filter(p -> !p.name().endsWith(".proxy"))
              .map(ProcessRecord::name).toList()));
      return 1;
    }
    try {
      List<String> lines = Files.readAllLines(Path.of(record.get().log()), StandardCharsets.UTF_8);
      (tail >= 0 ? lines.subList(Math.max(0, lines.size() - tail), lines.size()) : lines).forEach(out::println);
      return 0;
    } catch (IOException e) {
      err.println("weft: cannot read " + record.get().log() + ": " + e.getMessage());
      return 1;
    }
  }
}
