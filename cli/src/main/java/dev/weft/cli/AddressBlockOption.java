package dev.weft.cli;

import dev.weft.cli.local.AddressPlan;
import dev.weft.cli.local.Capture;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --addressing}, {@code --address-block} and {@code --capture}: how workloads are told apart, and how their
 * traffic reaches their sidecars.
 */
final class AddressBlockOption {

  @Option(names = "--addressing", paramLabel = "MODE", defaultValue = "${env:WEFT_ADDRESSING:-ADDRESSES}",
      description = "ADDRESSES: each workload on its own 127.0.B.N with its real ports and Istio's sidecar ports;"
          + " PORT_BLOCKS: all on 127.0.0.1, 100 ports per workload (default: $WEFT_ADDRESSING, else ADDRESSES).")
  AddressPlan.Mode mode;

  @Option(names = "--address-block", paramLabel = "B", defaultValue = "1",
      description = "Which block of addresses or ports this mesh uses, so meshes can run side by side"
          + " (default: ${DEFAULT-VALUE}).")
  int block;

  @Option(names = "--capture", paramLabel = "MODE", defaultValue = "none", converter = CaptureConverter.class,
      description = "none: apps use their sidecar as HTTP proxy (explicit, the default); iptables: each workload in"
          + " its own network namespace on 10.250.B.0/24, its traffic redirected to its sidecar (Linux, root).")
  Capture capture;

  /** {@code none} or {@code iptables}, as users type them. */
  static final class CaptureConverter implements ITypeConverter<Capture> {
    @Override
    public Capture convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "none" -> Capture.NONE;
        case "iptables" -> Capture.IPTABLES;
        default -> throw new TypeConversionException("'" + value + "' is not a capture mode (none, iptables)");
      };
    }
  }

  AddressPlan plan() {
    return new AddressPlan(mode, block);
  }

  /** The same choice, for a detached copy of the command. */
  List<String> args() {
    return new ArrayList<>(List.of("--addressing", mode.name(), "--address-block", Integer.toString(block),
        "--capture", capture.name().toLowerCase(java.util.Locale.ROOT)));
  }
}
