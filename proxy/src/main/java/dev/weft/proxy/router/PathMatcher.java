package dev.weft.proxy.router;

import com.google.re2j.Pattern;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.matcher.ConfigRegex;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;

/**
 * The path part of a route match: prefix, exact path, safe_regex or path_separated_prefix; or connect_matcher, which
 * matches HTTP/1 CONNECT requests (they have no path), as the others never do.
 */
final class PathMatcher {

    enum Kind { PREFIX, PATH, REGEX, SEPARATED_PREFIX, CONNECT }

    private final Kind kind;
    private final String value;
    private final boolean caseSensitive;
    private final Pattern pattern;

    private PathMatcher(Kind kind, String value, boolean caseSensitive, Pattern pattern) {
        this.kind = kind;
        this.value = value;
        this.caseSensitive = caseSensitive;
        this.pattern = pattern;
    }

    static PathMatcher compile(RouteMatch match) {
        boolean cs = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
        return switch (match.getPathSpecifierCase()) {
            case PREFIX -> new PathMatcher(Kind.PREFIX, match.getPrefix(), cs, null);
            case PATH -> new PathMatcher(Kind.PATH, match.getPath(), cs, null);
            case SAFE_REGEX -> new PathMatcher(Kind.REGEX, match.getSafeRegex().getRegex(), cs,
                    ConfigRegex.compile(match.getSafeRegex()));
            case PATH_SEPARATED_PREFIX -> {
                String p = match.getPathSeparatedPrefix();
                if (!p.startsWith("/") || (p.length() > 1 && p.endsWith("/")) || p.contains("?") || p.contains("#")) {
                    throw new ConfigException("path_separated_prefix '" + p
                            + "' must start with '/', not end with '/', and contain no '?' or '#'");
                }
                yield new PathMatcher(Kind.SEPARATED_PREFIX, p, cs, null);
            }
            case CONNECT_MATCHER -> new PathMatcher(Kind.CONNECT, "", cs, null);
            default -> throw new ConfigException("route match needs one of prefix, path, safe_regex, path_separated_prefix,"
                    + " connect_matcher"
                    + " (got " + match.getPathSpecifierCase() + ")");
        };
    }

    Kind kind() {
        return kind;
    }

    String value() {
        return value;
    }

    boolean matches(String method, String path) {
        if ("CONNECT".equals(method) != (kind == Kind.CONNECT)) {
            return false;
        }
        return switch (kind) {
            case CONNECT -> true;
            case PREFIX -> path.regionMatches(!caseSensitive, 0, value, 0, value.length());
            case PATH -> caseSensitive ? path.equals(value) : path.equalsIgnoreCase(value);
            case REGEX -> pattern.matcher(path).matches();
            case SEPARATED_PREFIX -> path.regionMatches(!caseSensitive, 0, value, 0, value.length())
                    && (path.length() == value.length() || path.charAt(value.length()) == '/');
        };
    }
}
