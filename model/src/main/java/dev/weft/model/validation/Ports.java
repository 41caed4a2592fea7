package dev.weft.model.validation;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Port numbers, port names and Istio protocol names. */
final class Ports {
  private static final Pattern PORT_NAME = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,61}[a-zA-Z0-9])?");
  private static final Set<String> PROTOCOLS = Set.of(
      "HTTP", "HTTPS", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB", "MONGO", "REDIS", "MYSQL", "TCP", "TLS", "UDP");

  private Ports() {}

  static boolean isValid(long port) {
    return port >= 1 && port <= 65535;
  }

  /** Checks a port number under {@code path}, Istio's wording. */
  static void check(long port, String path, Findings findings) {
    if (!isValid(port)) {
      findings.error(path, "Invalid value: " + port + ": port must be between 1-65535");
    }
  }

  static boolean isValidName(String name) {
    return PORT_NAME.matcher(name).matches();
  }

  /** Istio protocol names are case-insensitive; unknown ones are treated as TCP by Istio but rejected here. */
  static void checkProtocol(String protocol, String path, Findings findings) {
    if (!protocol.isEmpty() && !PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
      findings.error(path, "Unsupported value: \"" + protocol + "\": supported values: "
          + String.join(", ", PROTOCOLS.stream().sorted().map(p -> "\"" + p + "\"").toList()));
    }
  }
}
