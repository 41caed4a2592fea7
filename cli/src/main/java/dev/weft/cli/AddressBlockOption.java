package dev.weft.cli;

import dev.weft.cli.local.AddressPlan;
import picocli.CommandLine.Option;

/** {@code --address-block}: which 127.0.B.0/24 the workloads get, so two meshes can run side by side. */
final class AddressBlockOption {

  @Option(names = "--address-block", paramLabel = "B", defaultValue = "1",
      description = "Workloads listen on 127.0.B.2, 127.0.B.3, ... (default: ${DEFAULT-VALUE}).")
  int block;

  AddressPlan plan() {
    return new AddressPlan(block);
  }
}
