package dev.weft.cli;

import dev.weft.cli.local.LocalRuntime;
import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.RuntimeState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
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

  private static final Duration FOLLOW_POLL = Duration.ofMillis(200);

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Parameters(paramLabel = "WORKLOAD", description = "A workload name, weftd or istio-ingressgateway.")
  String workload;

  @Option(names = "--proxy", description = "The sidecar's log instead of the app's.")
  boolean proxy;

  @Option(names = "--tail", paramLabel = "N", defaultValue = "-1", description = "Only the last N lines.")
  int tail;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the process exits.")
  boolean follow;

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
      Path log = Path.of(record.get().log());
      byte[] written = Files.readAllBytes(log);
      List<String> lines = new String(written, StandardCharsets.UTF_8).lines().toList();
      (tail >= 0 ? lines.subList(Math.max(0, lines.size() - tail), lines.size()) : lines).forEach(out::println);
      out.flush();
      if (follow) {
        follow(log, written.length, record.get(), out);
      }
      return 0;
    } catch (IOException e) {
      err.println("weft: cannot read " + record.get().log() + ": " + e.getMessage());
      return 1;
    }
  }

  /** Prints what the process appends to its log, polling, until it has exited and its last lines are out. */
  private static void follow(Path log, long from, ProcessRecord process, PrintWriter out) throws IOException {
    long offset = from;
    while (true) {
      boolean alive = process.live().isPresent();
      try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
        if (file.length() > offset) {
          byte[] fresh = new byte[(int) (file.length() - offset)];
          file.seek(offset);
          file.readFully(fresh);
          offset += fresh.length;
          out.print(new String(fresh, StandardCharsets.UTF_8));
          out.flush();
        }
      }
      if (!alive) {
        return;
      }
      LockSupport.parkNanos(FOLLOW_POLL.toNanos());
      if (Thread.interrupted()) {
        return;
      }
    }
  }
}
