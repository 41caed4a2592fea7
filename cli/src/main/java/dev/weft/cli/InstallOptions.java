package dev.weft.cli;

import dev.weft.cli.install.ClusterInstaller;
import dev.weft.cli.install.InstallValues;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code weft install} and {@code weft uninstall} share: the values and the cluster. */
final class InstallOptions {

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = {"Change a value, as istioctl install --set: meshConfig.* and the keys in cli/README.md",
          "(hub, tag, values.global.istioNamespace, values.pilot.replicaCount, ...)."})
  List<String> sets = new ArrayList<>();

  @Mixin ClusterOptions cluster;

  /** The defaults with every {@code --set} laid over them; an {@link IllegalArgumentException} names a bad one. */
  InstallValues values() {
    InstallValues values = InstallValues.defaults();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set " + set + ": expected KEY=VALUE");
      }
      values = values.with(set.substring(0, eq), set.substring(eq + 1));
    }
    return values;
  }

  /**
   * Runs {@code action} on the cluster with the values: exit 2 (usage) for a bad {@code --set} or kubeconfig, checked
   * before the cluster is contacted, 1 when the cluster fails (one line), else 0.
   */
  int onCluster(String what, PrintWriter out, PrintWriter err, BiConsumer<ClusterInstaller, InstallValues> action) {
    InstallValues values;
    try {
      values = values();
    } catch (IllegalArgumentException e) {
      err.println("weft: " + e.getMessage());
      return 2;
    }
    try (KubernetesClient client = cluster.client()) {
      action.accept(new ClusterInstaller(client, out), values);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("weft: " + e.getMessage());
      return 2;
    } catch (KubernetesClientException | IOException e) {
      err.println("weft: " + what + " failed: " + e.getMessage());
      return 1;
    }
  }
}
