package dev.weft.model.validation;

import dev.weft.model.EchoedValue;
import java.util.regex.Pattern;

/** DNS name rules for hosts, namespaces and names (RFC 1123, with Istio's wildcard forms). */
final class DomainNames {
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?");
  private static final Pattern LOWERCASE_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final int MAX_LENGTH = 255;

  private DomainNames() {}

  /**
   * Checks a host that may start with a wildcard: {@code *}, {@code *.example.com} or a plain domain.
   * With {@code partialWildcard}, ServiceEntry's {@code *x} form is accepted too.
   *
   * @return null when valid, else the reason
   */
  static String checkWildcardDomain(String host, boolean partialWildcard) {
    if (host.isEmpty()) {
      return "empty domain name not allowed";
    }
    if (host.length() > MAX_LENGTH) {
      return "domain name \"" + truncate(host) + "\" too long (max " + MAX_LENGTH + ")";
    }
    if (host.equals("*")) {
      return null;
    }
    String rest = host;
    if (host.startsWith("*.")) {
      rest = host.substring(2);
    } else if (host.startsWith("*") && partialWildcard) {
      rest = host.substring(1);
    }
    return checkDomain(rest, host);
  }

  /** A domain without wildcards, e.g. {@code reviews.default.svc.cluster.local}. */
  static String checkDomain(String domain, String asWritten) {
    if (domain.isEmpty()) {
      return "domain name \"" + EchoedValue.of(asWritten) + "\" invalid (empty label)";
    }
    String trimmed = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    for (String label : trimmed.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return "domain name \"" + EchoedValue.of(asWritten) + "\" invalid (label \"" + EchoedValue.of(label)
            + "\" invalid)";
      }
    }
    return null;
  }

  /** A Kubernetes DNS-1123 label (namespace names, subset names, port names of Services). */
  static boolean isLabel(String value) {
    return LOWERCASE_LABEL.matcher(value).matches();
  }

  /** A Kubernetes DNS-1123 subdomain (resource names). */
  static boolean isSubdomain(String value) {
    if (value.isEmpty() || value.length() > 253) {
      return false;
    }
    for (String label : value.split("\\.", -1)) {
      if (!LOWERCASE_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static String truncate(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }
}
