package dev.weft.cli.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads Prometheus's text exposition format (version 0.0.4, what {@code /stats/prometheus} serves): comments and
 * blank lines are skipped, each sample line is {@code name{label="value",...} value [timestamp]}, label values may
 * escape {@code \\}, {@code \"} and {@code \n}. A line that does not parse is an error naming its number.
 */
public final class PrometheusText {

  private PrometheusText() {}

  /** The samples of {@code text} whose metric name {@code wanted} accepts. */
  public static List<Sample> parse(String text, Predicate<String> wanted) {
    List<Sample> samples = new ArrayList<>();
    int number = 0;
    for (String line : text.lines().toList()) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int nameEnd = 0;
      while (nameEnd < trimmed.length() && trimmed.charAt(nameEnd) != '{' && trimmed.charAt(nameEnd) != ' ') {
        nameEnd++;
      }
      String name = trimmed.substring(0, nameEnd);
      if (!wanted.test(name)) {
        continue;
      }
      try {
        samples.add(sample(name, trimmed, nameEnd));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw new IllegalArgumentException("line " + number + " is not a Prometheus sample: " + line, e);
      }
    }
    return samples;
  }

  private static Sample sample(String name, String line, int nameEnd) {
    Map<String, String> labels = new HashMap<>();
    int at = nameEnd;
    if (line.charAt(at) == '{') {
      at++;
      while (line.charAt(at) != '}') {
        int equals = line.indexOf('=', at);
        String label = line.substring(at, equals).strip();
        if (line.charAt(equals + 1) != '"') {
          throw new IllegalArgumentException("label " + label + " has no quoted value");
        }
        StringBuilder value = new StringBuilder();
        at = equals + 2;
        for (char c = line.charAt(at); c != '"'; c = line.charAt(at)) {
          if (c == '\\') {
            at++;
            char escaped = line.charAt(at);
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
          at++;
        }
        labels.put(label, value.toString());
        at++;
        if (line.charAt(at) == ',') {
          at++;
        }
      }
      at++;
    }
    String[] rest = line.substring(at).strip().split("\\s+");
    return new Sample(name, labels, number(rest[0]));
  }

  /** A sample value: a Go float, with Prometheus's spellings of the infinities and NaN. */
  static double number(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
