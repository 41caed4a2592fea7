package dev.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft uninstall}: removes what {@code weft install} put in the cluster (istioctl uninstall). */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
    description = {"Remove what weft install installed (give the same --set values.global.istioNamespace).",
        "Istio's CRDs, with every Istio resource in the cluster, and the namespace stay unless --purge."})
final class UninstallCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin InstallOptions options;

  @Option(names = "--purge", description = "Also delete Istio's CRDs (and so all Istio config) and the namespace.")
  boolean purge;

  @Override
  public Integer call() {
    return options.onCluster("uninstall", spec.commandLine().getOut(), spec.commandLine().getErr(),
        (installer, values) -> installer.uninstall(values, purge));
  }
}
