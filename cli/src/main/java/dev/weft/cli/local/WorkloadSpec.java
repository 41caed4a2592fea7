package dev.weft.cli.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One workload of a local mesh, as a pod would be: identity (name, namespace, service account, labels),
 * the ports its app serves, and how to start the app.
 *
 * @param healthPath an HTTP path that answers 200 once the app is ready; empty means "first port accepts"
 * @param job the app runs to completion; when it exits its sidecar is stopped too
 */
public record WorkloadSpec(
    String name,
    String namespace,
    String serviceAccount,
    Map<String, String> labels,
    List<Integer> ports,
    Launch launch,
    Map<String, String> env,
    Optional<String> healthPath,
    boolean job) {

  public WorkloadSpec {
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    env = Map.copyOf(env);
  }

  /** How an app process is started. */
  public sealed interface Launch {}

  /** A JVM with the CLI's own java binary and class path running {@code mainClass} (the sample apps). */
  public record JavaMain(String mainClass, List<String> args) implements Launch {
    public JavaMain {
      args = List.copyOf(args);
    }
  }

  /** Any executable, run as given. */
  public record Executable(List<String> command) implements Launch {
    public Executable {
      command = List.copyOf(command);
    }
  }
}
