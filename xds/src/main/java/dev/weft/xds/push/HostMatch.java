package dev.weft.xds.push;

/** Istio host matching, where a left-most {@code *} matches any prefix and {@code *} alone matches all. */
public final class HostMatch {

    private HostMatch() {
    }

    /** Whether {@code pattern} (possibly a wildcard) covers the concrete or wildcard {@code host}. */
    public static boolean matches(String pattern, String host) {
        if (pattern.equals("*") || pattern.equals(host)) {
            return true;
        }
        if (pattern.startsWith("*")) {
            String suffix = pattern.substring(1);
            return host.endsWith(suffix) && host.length() > suffix.length();
        }
        return false;
    }

    /** Higher is more specific: an exact host beats any wildcard, a longer wildcard a shorter one. */
    public static int specificity(String pattern) {
        return pattern.startsWith("*") ? pattern.length() - 1 : Integer.MAX_VALUE;
    }
}
