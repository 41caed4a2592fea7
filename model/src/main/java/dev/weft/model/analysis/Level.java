package dev.weft.model.analysis;

import java.util.Locale;

/** A message's severity, ordered so that {@code ERROR} is the most severe. */
public enum Level {
  INFO,
  WARNING,
  ERROR;

  /** Istio's spelling: Error, Warning, Info. */
  public String displayName() {
    String lower = name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  public boolean isAtLeast(Level threshold) {
    return compareTo(threshold) >= 0;
  }

  /** Parses Error, Warning or Info in any case, as {@code --fail-threshold} takes them. */
  public static Level parse(String text) {
    for (Level level : values()) {
      if (level.name().equalsIgnoreCase(text)) {
        return level;
      }
    }
    throw new IllegalArgumentException("unknown level \"" + text + "\": expected Error, Warning or Info");
  }
}
