package dev.weft.model.validation;

import dev.weft.model.networking.StringMatch;

/** Checks a StringMatch oneof: one member, a non-empty prefix or regex, a valid RE2 regex. */
final class StringMatches {
  private StringMatches() {}

  static void check(StringMatch match, String path, Findings findings) {
    if (match == null) {
      return;
    }
    int set = (match.exact() != null ? 1 : 0) + (match.prefix() != null ? 1 : 0) + (match.regex() != null ? 1 : 0);
    if (set > 1) {
      findings.error(path, "only one of exact, prefix or regex may be set");
    }
    if (match.prefix() != null && match.prefix().isEmpty()) {
      findings.error(path + ".prefix", "prefix string match should not be empty");
    }
    if (match.regex() != null) {
      if (match.regex().isEmpty()) {
        findings.error(path + ".regex", "regex string match should not be empty");
      } else if (!match.regex().equals("*")) {
        String problem = Regexes.check(match.regex());
        if (problem != null) {
          findings.error(path + ".regex", problem);
        }
      }
    }
  }
}
