package dev.weft.proxy.accesslog;

import dev.weft.proxy.config.ConfigException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %START_TIME(format)%}: Envoy's strftime subset in UTC, compiled once into appenders. Besides the usual
 * specifiers ({@code %Y %m %d %H %M %S %y %j %e %b %B %a %A %p %I %T %F %D %R %z %Z %n %t %%}) there are Envoy's own:
 * {@code %s} (seconds since the epoch), {@code %f} / {@code %1f}..{@code %9f} (fraction of the second) and
 * {@code %E1S}..{@code %E9S} (seconds with that many fractional digits). Without a format: Envoy's default,
 * {@code 2016-04-15T20:17:00.310Z}.
 */
final class StartTimeFormat {

    private interface Part {
        void append(StringBuilder out, ZonedDateTime t);
    }

    static final StartTimeFormat DEFAULT = compile("%Y-%m-%dT%H:%M:%E3SZ");

    private final List<Part> parts;

    private StartTimeFormat(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    String format(Instant instant) {
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(32);
        for (Part p : parts) {
            p.append(out, t);
        }
        return out.toString();
    }

    static StartTimeFormat compile(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                literal.append(c);
                continue;
            }
            char s = format.charAt(++i);
            int digits = 0;
            if (s >= '1' && s <= '9' && i + 1 < format.length() && format.charAt(i + 1) == 'f') {
                digits = s - '0';
                s = format.charAt(++i);
            } else if (s == 'E' && i + 2 < format.length() && Character.isDigit(format.charAt(i + 1))
                    && format.charAt(i + 2) == 'S') {
                int n = format.charAt(i + 1) - '0';
                i += 2;
                flush(literal, parts);
                parts.add((out, t) -> {
                    pad(out, t.getSecond(), 2);
                    if (n > 0) {
                        out.append('.');
                        fraction(out, t, n);
                    }
                });
                continue;
            }
            String fixed = switch (s) {
                case '%' -> "%";
                case 'n' -> "\n";
                case 't' -> "\t";
                default -> null;
            };
            if (fixed != null) {
                literal.append(fixed);
                continue;
            }
            flush(literal, parts);
            parts.add(specifier(s, digits == 0 ? 9 : digits, format));
        }
        flush(literal, parts);
        return new StartTimeFormat(parts);
    }

    private static Part specifier(char s, int fractionDigits, String format) {
        return switch (s) {
            case 'Y' -> (out, t) -> out.append(t.getYear());
            case 'y' -> (out, t) -> pad(out, t.getYear() % 100, 2);
            case 'm' -> (out, t) -> pad(out, t.getMonthValue(), 2);
            case 'd' -> (out, t) -> pad(out, t.getDayOfMonth(), 2);
            case 'e' -> (out, t) -> out.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
            case 'j' -> (out, t) -> pad(out, t.getDayOfYear(), 3);
            case 'H' -> (out, t) -> pad(out, t.getHour(), 2);
            case 'I' -> (out, t) -> pad(out, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2);
            case 'M' -> (out, t) -> pad(out, t.getMinute(), 2);
            case 'S' -> (out, t) -> pad(out, t.getSecond(), 2);
            case 'p' -> (out, t) -> out.append(t.getHour() < 12 ? "AM" : "PM");
            case 'b', 'h' -> (out, t) -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
            case 'B' -> (out, t) -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
            case 'a' -> (out, t) -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
            case 'A' -> (out, t) -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
            case 'T' -> (out, t) -> time(out, t);
            case 'R' -> (out, t) -> {
                pad(out, t.getHour(), 2);
                out.append(':');
                pad(out, t.getMinute(), 2);
            };
            case 'F' -> (out, t) -> {
                out.append(t.getYear()).append('-');
                pad(out, t.getMonthValue(), 2);
                out.append('-');
                pad(out, t.getDayOfMonth(), 2);
            };
            case 'D' -> (out, t) -> {
                pad(out, t.getMonthValue(), 2);
                out.append('/');
                pad(out, t.getDayOfMonth(), 2);
                out.append('/');
                pad(out, t.getYear() % 100, 2);
            };
            case 'z' -> (out, t) -> out.append("+0000");
            case 'Z' -> (out, t) -> out.append("UTC");
            case 's' -> (out, t) -> out.append(t.toEpochSecond());
            case 'f' -> (out, t) -> fraction(out, t, fractionDigits);
            default -> throw new ConfigException("START_TIME format " + format + ": %" + s + " is not supported");
        };
    }

    private static void time(StringBuilder out, ZonedDateTime t) {
        pad(out, t.getHour(), 2);
        out.append(':');
        pad(out, t.getMinute(), 2);
        out.append(':');
        pad(out, t.getSecond(), 2);
    }

    private static void fraction(StringBuilder out, ZonedDateTime t, int digits) {
        int value = t.getNano();
        for (int i = 9; i > digits; i--) {
            value /= 10;
        }
        pad(out, value, digits);
    }

    private static void pad(StringBuilder out, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            out.append('0');
        }
        out.append(s);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            String text = literal.toString();
            parts.add((out, t) -> out.append(text));
            literal.setLength(0);
        }
    }
}
