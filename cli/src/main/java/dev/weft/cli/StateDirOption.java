package dev.weft.cli;

import dev.weft.cli.local.RuntimeState;
import dev.weft.cli.local.StateStore;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --state-dir}: where a local mesh keeps its state file, logs and bootstraps. */
final class StateDirOption {

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "State directory of the local mesh (default: $WEFT_STATE_DIR or ~/.weft/local).")
  Path stateDir;

  StateStore store() {
    return new StateStore(stateDir != null ? stateDir : StateStore.defaultDirectory());
  }

  /** The running mesh's state, or, having said why there is none, the exit status: 1 unreadable, 3 no mesh. */
  record Found(Optional<RuntimeState> state, int exitCode) {}

  Found running(PrintWriter out, PrintWriter err) {
    try {
      Optional<RuntimeState> read = store().read();
      if (read.isEmpty()) {
        out.println("weft: no local mesh is running (" + store().directory() + ")");
        return new Found(read, StatusCommand.NOT_RUNNING);
      }
      return new Found(read, 0);
    } catch (UncheckedIOException e) {
      err.println("weft: " + e.getMessage());
      return new Found(Optional.empty(), 1);
    }
  }

  /** weftd's HTTP API: the one named on the command line, else the running local mesh's. */
  Optional<URI> weftd(URI named) {
    if (named != null) {
      return Optional.of(named);
    }
    return store().read().map(RuntimeState::weftdUrl).filter(u -> !u.isEmpty()).map(URI::create);
  }
}
