package dev.weft.model.analysis;

/** Istio's host name comparisons with a left-most {@code *.} wildcard (or a lone {@code *}). */
final class HostPatterns {
  private HostPatterns() {}

  /** Whether {@code pattern} covers {@code host}: {@code *.example.com} covers {@code a.b.example.com}. */
  static boolean covers(String pattern, String host) {
    if (pattern.equals("*") || pattern.equals(host)) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      if (host.startsWith("*.")) {
        return host.substring(1).endsWith(suffix);
      }
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return false;
  }

  /** Whether some host could match both: either covers the other. */
  static boolean overlap(String a, String b) {
    return covers(a, b) || covers(b, a);
  }
}
