package dev.weft.cli;

import dev.weft.cli.local.RuntimeState;
import dev.weft.cli.local.TextFiles;
import dev.weft.cli.local.WorkloadFile;
import dev.weft.cli.local.WorkloadRequests;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code weft apply} and {@code weft delete} share: the files, the weftd to send them to, the report. */
abstract class ConfigChange {

  /** Starting a workload waits for its sidecar and app to be ready, as weft up does. */
  private static final Duration WORKLOAD_CHANGE_TIMEOUT = Duration.ofSeconds(180);

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR", required = true,
      description = "A YAML file, or a directory of them (its files, sorted). Repeatable.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--weftd", paramLabel = "URL",
      description = "weftd's HTTP API (default: the local mesh's, from the state directory).")
  URI weftd;

  /** @param ignoreNotFound whether a resource a delete names that is not there is no error */
  int run(boolean delete, boolean ignoreNotFound) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<URI> target;
    List<WeftdApi.NamedFile> sent;
    try {
      target = state.weftd(weftd);
      sent = read(files);
    } catch (UncheckedIOException e) {
      err.println("weft: " + e.getMessage());
      return 1;
    }
    if (target.isEmpty()) {
      err.println("weft: no local mesh is running (" + state.store().directory() + "); start one with weft up,"
          + " or name a weftd with --weftd URL");
      return 1;
    }
    List<WeftdApi.NamedFile> workloads = sent.stream().filter(ConfigChange::isWorkloadFile).toList();
    List<WeftdApi.NamedFile> config = sent.stream().filter(f -> !isWorkloadFile(f)).toList();
    if (workloads.size() > 1 || (!workloads.isEmpty() && weftd != null)) {
      err.println("weft: " + (workloads.size() > 1 ? "give one " + WorkloadFile.FILE_NAME + " at a time (each is a"
          + " whole workload list)" : WorkloadFile.FILE_NAME + " changes the local mesh's processes, not a weftd named"
          + " by --weftd"));
      return 1;
    }
    int status = config.isEmpty() && !workloads.isEmpty() ? 0 : sendToWeftd(target.get(), config, delete,
        ignoreNotFound, out, err);
    for (WeftdApi.NamedFile file : workloads) {
      status = Math.max(status, changeWorkloads(file, delete, out, err));
    }
    return status;
  }

  /**
   * A {@code weft-workloads.yaml} goes to the running {@code weft up}, not to weftd: applied, it becomes the mesh's
   * workload list (each workload reported created, configured, unchanged or deleted); deleted, its workloads stop.
   */
  private int changeWorkloads(WeftdApi.NamedFile file, boolean delete, PrintWriter out, PrintWriter err) {
    if (state.store().read().flatMap(RuntimeState::liveSupervisor).isEmpty()) {
      err.println("weft: no weft up is running from " + state.store().directory() + " to start or stop workloads");
      return 1;
    }
    Optional<WorkloadRequests.Result> result = new WorkloadRequests(state.store())
        .submit(delete, file.name(), file.content(), WORKLOAD_CHANGE_TIMEOUT, Clock.systemUTC());
    if (result.isEmpty()) {
      err.println("weft: the running weft up did not act on " + file.name() + " within "
          + WORKLOAD_CHANGE_TIMEOUT.toSeconds() + " s; see " + state.store().directory().resolve("supervisor.log")
          + " or the output of weft up");
      return 1;
    }
    result.get().lines().forEach(out::println);
    result.get().errors().forEach(e -> err.println("weft: " + e));
    return result.get().errors().isEmpty() ? 0 : 1;
  }

  private static boolean isWorkloadFile(WeftdApi.NamedFile file) {
    return Path.of(file.name()).getFileName().toString().equals(WorkloadFile.FILE_NAME);
  }

  private int sendToWeftd(URI weftd, List<WeftdApi.NamedFile> sent, boolean delete, boolean ignoreNotFound,
      PrintWriter out, PrintWriter err) {
    WeftdApi api = new WeftdApi(weftd, state.store().apiToken());
    WeftdApi.Answer answer = delete ? api.delete(sent) : api.apply(sent);
    boolean missing = false;
    for (WeftdApi.Outcome outcome : answer.outcomes()) {
      if (!outcome.notFound()) {
        out.println(outcome.resource() + " " + outcome.result());
      } else if (!ignoreNotFound) {
        err.println("weft: " + outcome.source() + ": " + outcome.resource() + " not found (--ignore-not-found allows"
            + " it)");
        missing = true;
      }
    }
    answer.errors().forEach(e -> err.println("weft: " + e));
    if (answer.accepted() && answer.outcomes().isEmpty()) {
      out.println("weft: nothing changed: the files hold no resources");
    }
    return answer.accepted() && !missing ? 0 : 1;
  }

  /** Each file named or found in a named directory, with its name as the user wrote it. */
  private static List<WeftdApi.NamedFile> read(List<Path> paths) {
    List<WeftdApi.NamedFile> read = new ArrayList<>();
    for (Path path : paths) {
      for (Path file : files(path)) {
        try {
          read.add(new WeftdApi.NamedFile(file.toString(), TextFiles.readUtf8(file)));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }
    return read;
  }

  private static List<Path> files(Path path) {
    if (!Files.isDirectory(path)) {
      if (!Files.isRegularFile(path)) {
        throw new UncheckedIOException(path + " does not exist", new NoSuchFileException(path.toString()));
      }
      return List.of(path);
    }
    try (Stream<Path> list = Files.list(path)) {
      return list.filter(Files::isRegularFile).filter(f -> {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }
}
