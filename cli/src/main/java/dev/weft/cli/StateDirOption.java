package dev.weft.cli;

import dev.weft.cli.local.StateStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir}: where a local mesh keeps its state file, logs and bootstraps. */
final class StateDirOption {

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "State directory of the local mesh (default: $WEFT_STATE_DIR or ~/.weft/local).")
  Path stateDir;

  StateStore store() {
    return new StateStore(stateDir != null ? stateDir : StateStore.defaultDirectory());
  }
}
