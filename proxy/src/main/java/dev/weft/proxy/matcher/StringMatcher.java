package dev.weft.proxy.matcher;

import com.google.re2j.Pattern;
import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.Locale;

/** A compiled {@code envoy.type.matcher.v3.StringMatcher}: the regex is compiled once, at config time (RE2/J). */
public final class StringMatcher {

    private enum Kind { EXACT, PREFIX, SUFFIX, CONTAINS, REGEX }

    private final Kind kind;
    private final String value;
    private final boolean ignoreCase;
    private final Pattern pattern;

    private StringMatcher(Kind kind, String value, boolean ignoreCase, Pattern pattern) {
        this.kind = kind;
        this.ignoreCase = ignoreCase;
        this.value = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        this.pattern = pattern;
    }

    public static StringMatcher compile(io.envoyproxy.envoy.type.matcher.v3.StringMatcher proto) {
        boolean ic = proto.getIgnoreCase();
        return switch (proto.getMatchPatternCase()) {
            case EXACT -> new StringMatcher(Kind.EXACT, proto.getExact(), ic, null);
            case PREFIX -> new StringMatcher(Kind.PREFIX, proto.getPrefix(), ic, null);
            case SUFFIX -> new StringMatcher(Kind.SUFFIX, proto.getSuffix(), ic, null);
            case CONTAINS -> new StringMatcher(Kind.CONTAINS, proto.getContains(), ic, null);
            case SAFE_REGEX -> regex(proto.getSafeRegex());
            default -> throw new ConfigException("string matcher needs one of exact, prefix, suffix, contains, safe_regex");
        };
    }

    public static StringMatcher exact(String value) {
        return new StringMatcher(Kind.EXACT, value, false, null);
    }

    public static StringMatcher prefix(String value) {
        return new StringMatcher(Kind.PREFIX, value, false, null);
    }

    public static StringMatcher regex(RegexMatcher regex) {
        return new StringMatcher(Kind.REGEX, regex.getRegex(), false, ConfigRegex.compile(regex));
    }

    public boolean matches(String input) {
        if (input == null) {
            return false;
        }
        String s = ignoreCase ? input.toLowerCase(Locale.ROOT) : input;
        return switch (kind) {
            case EXACT -> s.equals(value);
            case PREFIX -> s.startsWith(value);
            case SUFFIX -> s.endsWith(value);
            case CONTAINS -> s.contains(value);
            case REGEX -> pattern.matcher(input).matches();
        };
    }
}
