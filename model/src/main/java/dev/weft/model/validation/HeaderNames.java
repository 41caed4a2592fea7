package dev.weft.model.validation;

import java.util.regex.Pattern;

/** HTTP header names (RFC 7230 tokens). */
final class HeaderNames {
  private static final Pattern TOKEN = Pattern.compile("[-!#$%&'*+.^_`|~0-9A-Za-z]+");

  private HeaderNames() {}

  static void check(String name, String path, Findings findings) {
    if (name.isEmpty()) {
      findings.error(path, "header name must not be empty");
    } else if (!TOKEN.matcher(name).matches()) {
      findings.error(path, "\"" + name + "\" is not a valid header name");
    }
  }
}
