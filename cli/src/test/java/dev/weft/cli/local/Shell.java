package dev.weft.cli.local;

import java.util.List;

/** Small shell programs that behave like the processes of a mesh, for tests of the supervisor. */
final class Shell {

  private Shell() {}

  /** Prints {@code ready}, then on SIGTERM appends {@code "<name> stopped"} to {@code journal} and exits. */
  static List<String> service(String name, String journal) {
    return List.of("/bin/sh", "-c", "trap 'echo " + name + " stopped >> " + journal + "; exit 0' TERM;"
        + " echo ready; while true; do sleep 0.05; done");
  }

  /** Ignores SIGTERM: only SIGKILL ends it. */
  static List<String> stubborn() {
    return List.of("/bin/sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.05; done");
  }

  static List<String> failing(int status) {
    return List.of("/bin/sh", "-c", "echo 'bad setting: PORT'; exit " + status);
  }
}
