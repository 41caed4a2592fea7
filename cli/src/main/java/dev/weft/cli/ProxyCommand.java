package dev.weft.cli;

import dev.weft.proxy.ProxyMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft proxy --bootstrap FILE}: runs weft-proxy in the foreground. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
    description = {"Run weft-proxy in the foreground from an Envoy v3 bootstrap (YAML or JSON).",
        "Exit status: 0 stopped, 1 bad bootstrap, 2 usage error."})
final class ProxyCommand implements Callable<Integer> {

  @Option(names = {"--bootstrap", "-c"}, paramLabel = "FILE", required = true, description = "The bootstrap file.")
  Path bootstrap;

  @Override
  public Integer call() {
    return ProxyMain.run(new String[] {"--bootstrap", bootstrap.toString()}, System.out, System.err);
  }
}
