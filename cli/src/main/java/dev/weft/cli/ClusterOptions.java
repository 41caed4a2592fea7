package dev.weft.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kubeconfig} and {@code --context}, as kubectl and istioctl take them: which cluster a command talks to. */
final class ClusterOptions {

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The cluster's kubeconfig (default: as kubectl finds it: KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "The kubeconfig context to use (default: its current-context).")
  String context;

  /** The API server of the last {@link #client()}, for messages. */
  private String server = "";

  /** Whether a cluster was named: the commands that default to the local mesh then talk to the cluster instead. */
  boolean named() {
    return kubeconfig != null || context != null;
  }

  /**
   * A client of the cluster that fails at once when it cannot be reached, as kubectl does (fabric8 retries 10 times);
   * an {@link IllegalArgumentException} says the kubeconfig cannot be read.
   */
  KubernetesClient client() throws IOException {
    Config config;
    if (kubeconfig == null) {
      config = Config.autoConfigure(context);
    } else if (Files.isReadable(kubeconfig)) {
      config = Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
    } else {
      throw new IllegalArgumentException("--kubeconfig " + kubeconfig + " cannot be read");
    }
    config.setRequestRetryBackoffLimit(0);
    server = config.getMasterUrl();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** One line for a failed request: which API server, and the innermost cause (fabric8's own says neither). */
  String failure(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    return "weft: cannot reach the cluster at " + server + ": " + why;
  }
}
