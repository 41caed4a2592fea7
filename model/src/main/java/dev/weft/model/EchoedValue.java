package dev.weft.model;

/**
 * What a message may quote of a value the user wrote. A 1 MB name echoed back in every error about it makes the
 * errors as large as the attack, so a value longer than any valid name (253 characters, a DNS subdomain) is cut to
 * its first 64 characters and its length.
 */
public final class EchoedValue {
  /** Longest value echoed whole: the longest valid Kubernetes name. */
  public static final int MAX_WHOLE = 253;
  private static final int KEPT = 64;

  private EchoedValue() {}

  /** The value itself, or {@code its first 64 characters… (1048576 characters)}. */
  public static String of(String value) {
    return cut(value, MAX_WHOLE, KEPT);
  }

  /** A whole message or path held to {@code max} characters the same way (a safety net behind {@link #of}). */
  static String bounded(String text, int max) {
    return cut(text, max, max);
  }

  private static String cut(String text, int max, int kept) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, kept) + "… (" + text.length() + " characters)";
  }
}
