package dev.weft.model.analysis;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Renders Go {@code fmt} templates with the verbs Istio's message catalogue uses: {@code %s} and
 * {@code %v} print the value (a collection as {@code [a b]}), {@code %d} an integer, {@code %q} a
 * double-quoted string, {@code %%} a percent sign.
 */
final class GoFormat {

  private GoFormat() {}

  static String format(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    int next = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '%' || i + 1 == template.length()) {
        out.append(c);
        continue;
      }
      char verb = template.charAt(++i);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (next >= args.length) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args[next++];
      switch (verb) {
        case 'q' -> out.append(quote(String.valueOf(arg)));
        case 's', 'v', 'd', 't' -> out.append(plain(arg));
        default -> out.append('%').append(verb);
      }
    }
    return out.toString();
  }

  private static String plain(Object arg) {
    if (arg instanceof Collection<?> items) {
      return items.stream().map(GoFormat::plain).collect(Collectors.joining(" ", "[", "]"));
    }
    return String.valueOf(arg);
  }

  private static String quote(String s) {
    StringBuilder q = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        default -> q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
