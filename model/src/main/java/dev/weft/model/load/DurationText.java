package dev.weft.model.load;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as Istio accepts them: Go style ({@code 1h30m}, {@code 1.5s}, {@code 300ms}). */
final class DurationText {
  private static final Pattern WHOLE =
      Pattern.compile("(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:h|ms|m|s|us|µs|ns))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(h|ms|m|s|us|µs|ns)");
  private static final int MAX_LENGTH = 64;

  private DurationText() {}

  /** The duration, or null when the text is not a non-negative Go duration. */
  static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    if (text.length() > MAX_LENGTH || !WHOLE.matcher(text).matches()) {
      return null;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(nanosPer(part.group(2)))));
    }
    BigDecimal whole = nanos.setScale(0, RoundingMode.DOWN);
    return whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? null : Duration.ofNanos(whole.longValue());
  }

  private static long nanosPer(String unit) {
    return switch (unit) {
      case "h" -> 3_600_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "s" -> 1_000_000_000L;
      case "ms" -> 1_000_000L;
      case "us", "µs" -> 1_000L;
      default -> 1L;
    };
  }
}
