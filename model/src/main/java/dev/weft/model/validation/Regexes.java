package dev.weft.model.validation;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Envoy's safe_regex is RE2: checked here with Java's engine minus the features RE2 lacks. */
final class Regexes {
  static final int MAX_LENGTH = 1024;
  private static final Pattern NOT_IN_RE2 = Pattern.compile("\\(\\?<?[=!]|\\\\[1-9]|\\(\\?>");

  private Regexes() {}

  /** @return null when valid, else the reason */
  static String check(String regex) {
    if (regex.length() > MAX_LENGTH) {
      return "regex is too long: " + regex.length() + " characters, the limit is " + MAX_LENGTH;
    }
    if (NOT_IN_RE2.matcher(regex).find()) {
      return "\"" + regex + "\" is not a valid regex: lookaround, atomic groups and backreferences are not supported by RE2";
    }
    try {
      Pattern.compile(regex);
      return null;
    } catch (PatternSyntaxException e) {
      return "\"" + regex + "\" is not a valid regex: " + e.getDescription();
    }
  }
}
