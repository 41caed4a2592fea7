package dev.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The state file a running {@code weft up} keeps, read as a user's script would read it. */
record MeshState(long supervisorPid, String weftdUrl, String ingressUrl, List<Proc> processes) {

  /**
   * @param health the URL {@code weft up} probes ({@code http://...} or {@code tcp://...}), empty for a job
   * @param admin the proxy admin URL of a sidecar or gateway, empty otherwise
   * @param restarts how many times the supervising {@code weft up} started it again
   */
  record Proc(String name, String role, String workload, long pid, String health, String admin, int restarts) {
    Optional<ProcessHandle> live() {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
  }

  static Optional<MeshState> read(Path stateDir) {
    Path file = stateDir.resolve("state.json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      List<Proc> processes = new ArrayList<>();
      root.path("processes").forEach(p -> processes.add(new Proc(p.path("name").asText(), p.path("role").asText(),
          p.path("workload").asText(), p.path("pid").asLong(), p.path("health").asText(), p.path("admin").asText(),
          p.path("restarts").asInt())));
      return Optional.of(new MeshState(root.path("supervisorPid").asLong(), root.path("weftdUrl").asText(),
          root.path("ingressUrl").asText(), List.copyOf(processes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Proc process(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no process " + name + " in " + processes));
  }
}
