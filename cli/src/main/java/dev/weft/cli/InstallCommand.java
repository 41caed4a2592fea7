package dev.weft.cli;

import dev.weft.cli.install.ClusterInstaller;
import dev.weft.cli.install.InstallManifests;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft install}: Istio's CRDs, weftd, the webhooks and the ingress gateway into a cluster (istioctl install). */
@Command(name = "install", mixinStandardHelpOptions = true,
    description = {"Install Weft into a Kubernetes cluster: Istio's CRDs, weftd (as istiod), the admission webhooks",
        "and the ingress gateway; the manifests of deploy/kubernetes with the --set values. Objects that exist are",
        "replaced. --dry-run prints the manifests instead."})
final class InstallCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin InstallOptions options;

  @Option(names = "--dry-run", description = "Print the manifests as YAML; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    if (!dryRun) {
      return options.onCluster("install", spec.commandLine().getOut(), spec.commandLine().getErr(),
          ClusterInstaller::install);
    }
    try {
      spec.commandLine().getOut().print(InstallManifests.yaml(options.values()));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("weft: " + e.getMessage());
      return 2;
    }
  }
}
