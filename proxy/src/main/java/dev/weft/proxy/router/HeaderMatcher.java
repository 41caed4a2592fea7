package dev.weft.proxy.router;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.matcher.StringMatcher;
import java.util.List;

/**
 * A compiled {@code config.route.v3.HeaderMatcher}. As in Envoy, it also sees the request's pseudo-headers
 * ({@code :method}, {@code :authority}, {@code :path}, {@code :scheme}) on HTTP/1.1 as on HTTP/2: Istio
 * translates VirtualService {@code method}, {@code authority} and {@code scheme} matches into them.
 */
public final class HeaderMatcher {

    private final RequestHeader header;
    private final StringMatcher value;
    private final boolean presentMatch;
    private final boolean invert;
    private final boolean missingAsEmpty;
    private final long rangeStart;
    private final long rangeEnd;
    private final boolean range;

    private HeaderMatcher(String name, StringMatcher value, boolean presentMatch, boolean invert,
            boolean missingAsEmpty, boolean range, long rangeStart, long rangeEnd) {
        this.header = RequestHeader.named(name);
        this.value = value;
        this.presentMatch = presentMatch;
        this.invert = invert;
        this.missingAsEmpty = missingAsEmpty;
        this.range = range;
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeEnd;
    }

    @SuppressWarnings("deprecation") // deprecated fields still arrive from control planes and old clients
    public static HeaderMatcher compile(io.envoyproxy.envoy.config.route.v3.HeaderMatcher p) {
        if (p.getName().isEmpty()) {
            throw new ConfigException("header matcher needs a name");
        }
        String name = p.getName().toLowerCase(java.util.Locale.ROOT);
        boolean inv = p.getInvertMatch();
        boolean empty = p.getTreatMissingHeaderAsEmpty();
        return switch (p.getHeaderMatchSpecifierCase()) {
            case STRING_MATCH -> new HeaderMatcher(name, StringMatcher.compile(p.getStringMatch()), false, inv, empty, false, 0, 0);
            case EXACT_MATCH -> new HeaderMatcher(name, StringMatcher.exact(p.getExactMatch()), false, inv, empty, false, 0, 0);
            case PREFIX_MATCH -> new HeaderMatcher(name, StringMatcher.prefix(p.getPrefixMatch()), false, inv, empty, false, 0, 0);
            case SAFE_REGEX_MATCH -> new HeaderMatcher(name, StringMatcher.regex(p.getSafeRegexMatch()), false, inv, empty, false, 0, 0);
            case RANGE_MATCH -> new HeaderMatcher(name, null, false, inv, empty, true,
                    p.getRangeMatch().getStart(), p.getRangeMatch().getEnd());
            case PRESENT_MATCH -> new HeaderMatcher(name, null, true, inv != !p.getPresentMatch(), empty, false, 0, 0);
            case HEADERMATCHSPECIFIER_NOT_SET -> new HeaderMatcher(name, null, true, inv, empty, false, 0, 0);
            default -> throw new ConfigException("unsupported header matcher on " + name + ": " + p.getHeaderMatchSpecifierCase());
        };
    }

    public boolean matches(RouteRequest request) {
        List<String> values = header.values(request);
        String actual = values.isEmpty() ? (missingAsEmpty ? "" : null) : String.join(",", values);
        boolean result;
        if (presentMatch) {
            result = actual != null;
        } else if (actual == null) {
            // A missing header never matches, not even an inverted matcher (Envoy semantics).
            return false;
        } else if (range) {
            result = inRange(actual);
        } else {
            result = value.matches(actual);
        }
        return result != invert;
    }

    private boolean inRange(String actual) {
        try {
            long v = Long.parseLong(actual.trim());
            return v >= rangeStart && v < rangeEnd;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean allMatch(List<HeaderMatcher> matchers, RouteRequest request) {
        for (HeaderMatcher m : matchers) {
            if (!m.matches(request)) {
                return false;
            }
        }
        return true;
    }
}
