package dev.weft.cli;

import dev.weft.cli.local.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    WeftdApi api = new WeftdApi(target.get(), state.store().apiToken());
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
