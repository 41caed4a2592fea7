package dev.weft.model.validation;

import java.util.regex.Pattern;

/** Literal IPv4/IPv6 addresses and CIDR blocks, parsed without any name lookup. */
final class IpAddresses {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  private IpAddresses() {}

  static boolean isIp(String value) {
    return isIpv4(value) || isIpv6(value);
  }

  static boolean isIpv4(String value) {
    return IPV4.matcher(value).matches();
  }

  static boolean isIpv6(String value) {
    if (value.isEmpty() || !value.contains(":") || value.length() > 45) {
      return false;
    }
    int doubleColon = value.indexOf("::");
    if (doubleColon >= 0 && value.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String head = doubleColon >= 0 ? value.substring(0, doubleColon) : value;
    String tail = doubleColon >= 0 ? value.substring(doubleColon + 2) : "";
    int groups = countGroups(head);
    int tailGroups = countGroups(tail);
    if (groups < 0 || tailGroups < 0) {
      return false;
    }
    int total = groups + tailGroups;
    return doubleColon >= 0 ? total <= 7 : total == 8;
  }

  /** Groups in a colon-separated run (an embedded IPv4 counts two), or -1 when malformed. */
  private static int countGroups(String run) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] parts = run.split(":", -1);
    int count = 0;
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      if (last && parts[i].contains(".")) {
        if (!isIpv4(parts[i])) {
          return -1;
        }
        count += 2;
      } else if (HEX_GROUP.matcher(parts[i]).matches()) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }

  /** An address or an address/prefix block. */
  static boolean isIpOrCidr(String value) {
    return isIp(value) || isCidr(value);
  }

  static boolean isCidr(String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String address = value.substring(0, slash);
    String prefix = value.substring(slash + 1);
    if (!prefix.matches("\\d{1,3}")) {
      return false;
    }
    int bits = Integer.parseInt(prefix);
    if (isIpv4(address)) {
      return bits <= 32;
    }
    return isIpv6(address) && bits <= 128;
  }
}
