package dev.weft.model;

/** Istio's short-name rule for hosts in routing rules (SEMANTICS §0). */
public final class HostNames {
  private HostNames() {}

  /**
   * Expands a short name ({@code reviews}) to {@code reviews.<namespace>.svc.<domainSuffix>} using the
   * namespace of the rule. Names with dots, wildcards and empty names stay as they are.
   */
  public static String toFqdn(String host, String namespace, String domainSuffix) {
    if (host == null || host.isEmpty() || host.contains(".") || host.contains("*")) {
      return host;
    }
    return host + "." + namespace + ".svc." + domainSuffix;
  }
}
