package dev.weft.e2e;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Counters read from a proxy's admin {@code /stats} ({@code name: value} lines, as Envoy prints them). */
final class ProxyStats {
  private ProxyStats() {}

  /** The counter's value, 0 while the proxy has not created it. */
  static long counter(String adminUrl, String name) {
    Http.Reply stats = Http.get(adminUrl + "/stats");
    if (stats.status() != 200) {
      throw new AssertionError("GET " + adminUrl + "/stats answered " + stats.status() + ": " + stats.body());
    }
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ": (\\d+)$").matcher(stats.body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /**
   * The sum of every counter whose name ends in {@code .suffix}, 0 while there is none: a filter's counters carry
   * the stat prefix of each listener it runs on ({@code http.<prefix>.rbac.denied}).
   */
  static long total(String adminUrl, String suffix) {
    Http.Reply stats = Http.get(adminUrl + "/stats");
    if (stats.status() != 200) {
      throw new AssertionError("GET " + adminUrl + "/stats answered " + stats.status() + ": " + stats.body());
    }
    Matcher m = Pattern.compile("(?m)^\\S*\\." + Pattern.quote(suffix) + ": (\\d+)$").matcher(stats.body());
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  /** The name Envoy gives the stats of an outbound cluster: {@code cluster.outbound|PORT||HOST.STAT}. */
  static String outbound(int port, String host, String stat) {
    return "cluster.outbound|" + port + "||" + host + "." + stat;
  }
}
