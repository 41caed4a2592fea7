package dev.weft.model.validation;

import java.time.Duration;

/** Istio's duration rule: at least 1ms, millisecond precision. */
final class Durations {
  private Durations() {}

  static void checkAtLeastMillisecond(Duration duration, String path, Findings findings) {
    if (duration == null) {
      return;
    }
    if (duration.compareTo(Duration.ofMillis(1)) < 0) {
      findings.error(path, "Invalid value: \"" + text(duration) + "\": duration must be greater than 1ms");
    } else if (duration.toNanosPart() % 1_000_000 != 0) {
      findings.error(path, "Invalid value: \"" + text(duration) + "\": only durations to ms precision are supported");
    }
  }

  /** Like {@link #checkAtLeastMillisecond} but 0 is allowed (it means "disabled"). */
  static void checkZeroOrAtLeastMillisecond(Duration duration, String path, Findings findings) {
    if (duration != null && !duration.isZero()) {
      checkAtLeastMillisecond(duration, path, findings);
    }
  }

  static String text(Duration duration) {
    long millis = duration.toMillis();
    return duration.toNanosPart() % 1_000_000 == 0 ? millis + "ms" : duration.toNanos() + "ns";
  }
}
