package dev.weft.cli;

import dev.weft.cli.local.AddressPlan;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --addressing} and {@code --address-block}: how workloads are told apart on loopback. */
final class AddressBlockOption {

  @Option(names = "--addressing", paramLabel = "MODE", defaultValue = "PORT_BLOCKS",
      description = "ADDRESSES: each workload on its own 127.0.B.N with its real ports and Istio's sidecar ports;"
          + " PORT_BLOCKS: all on 127.0.0.1, 100 ports per workload (default: ${DEFAULT-VALUE}).")
  AddressPlan.Mode mode;

  @Option(names = "--address-block", paramLabel = "B", defaultValue = "1",
      description = "Which block of addresses or ports this mesh uses, so meshes can run side by side"
          + " (default: ${DEFAULT-VALUE}).")
  int block;

  AddressPlan plan() {
    return new AddressPlan(mode, block);
  }

  /** The same choice, for a detached copy of the command. */
  List<String> args() {
    return new ArrayList<>(List.of("--addressing", mode.name(), "--address-block", Integer.toString(block)));
  }
}
