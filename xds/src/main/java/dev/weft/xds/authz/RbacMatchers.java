package dev.weft.xds.authz;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.OrMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Envoy matchers for the string forms of AuthorizationPolicy values, as Istio's authz matcher package builds them:
 * {@code abc} exact, {@code abc*} prefix, {@code *abc} suffix and {@code *} any non-empty value (presence).
 */
final class RbacMatchers {

    /** Where jwt_authn puts a verified token's claims (Istio's payload_in_metadata). */
    static final String JWT_FILTER = "envoy.filters.http.jwt_authn";
    static final String JWT_PAYLOAD = "payload";

    private RbacMatchers() {
    }

    static StringMatcher string(String value) {
        return stringWithPrefix(value, "");
    }

    /**
     * A string matcher with {@code prefix} put in front of the value, except for {@code *}, which matches any
     * non-empty string; a suffix form with a prefix becomes a regex.
     */
    static StringMatcher stringWithPrefix(String value, String prefix) {
        if (value.equals("*")) {
            return regex(".+");
        }
        if (value.startsWith("*")) {
            return prefix.isEmpty() ? suffix(value.substring(1), false)
                    : regex(prefix + ".*" + quoteMeta(value.substring(1)));
        }
        if (value.endsWith("*")) {
            return prefix(prefix + value.substring(0, value.length() - 1), false);
        }
        return exact(prefix + value, false);
    }

    static StringMatcher regex(String regex) {
        return StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex)).build();
    }

    static StringMatcher exact(String value, boolean ignoreCase) {
        return StringMatcher.newBuilder().setExact(value).setIgnoreCase(ignoreCase).build();
    }

    static StringMatcher prefix(String value, boolean ignoreCase) {
        return StringMatcher.newBuilder().setPrefix(value).setIgnoreCase(ignoreCase).build();
    }

    static StringMatcher suffix(String value, boolean ignoreCase) {
        return StringMatcher.newBuilder().setSuffix(value).setIgnoreCase(ignoreCase).build();
    }

    /** A header matcher; {@code *} is a presence match, since Envoy rejects an empty prefix or suffix. */
    static HeaderMatcher header(String name, String value, boolean ignoreCase) {
        HeaderMatcher.Builder header = HeaderMatcher.newBuilder().setName(name);
        if (value.equals("*")) {
            return header.setPresentMatch(true).build();
        }
        if (value.startsWith("*")) {
            return header.setStringMatch(suffix(value.substring(1), ignoreCase)).build();
        }
        if (value.endsWith("*")) {
            return header.setStringMatch(prefix(value.substring(0, value.length() - 1), ignoreCase)).build();
        }
        return header.setStringMatch(exact(value, ignoreCase)).build();
    }

    static ValueMatcher stringValue(StringMatcher matcher) {
        return ValueMatcher.newBuilder().setStringMatch(matcher).build();
    }

    /** Any of the values; a single matcher stays as it is. */
    static ValueMatcher or(List<ValueMatcher> matchers) {
        if (matchers.size() == 1) {
            return matchers.getFirst();
        }
        return ValueMatcher.newBuilder().setOrMatch(OrMatcher.newBuilder().addAllValueMatchers(matchers)).build();
    }

    static ValueMatcher stringOr(List<String> values) {
        return or(values.stream().map(v -> stringValue(string(v))).toList());
    }

    static ValueMatcher oneOfList(ValueMatcher element) {
        return ValueMatcher.newBuilder().setListMatch(ListMatcher.newBuilder().setOneOf(element)).build();
    }

    /** The metadata value at {@code filter} and the key path. */
    static MetadataMatcher metadata(String filter, List<String> path, ValueMatcher value) {
        MetadataMatcher.Builder matcher = MetadataMatcher.newBuilder().setFilter(filter).setValue(value);
        path.forEach(key -> matcher.addPath(MetadataMatcher.PathSegment.newBuilder().setKey(key)));
        return matcher.build();
    }

    /** A JWT claim, list-valued (any element matches) or single-valued, as jwt_authn stores it. */
    static MetadataMatcher jwtClaim(List<String> claims, ValueMatcher value) {
        List<String> path = new ArrayList<>();
        path.add(JWT_PAYLOAD);
        path.addAll(claims);
        return metadata(JWT_FILTER, path, or(List.of(oneOfList(value), value)));
    }

    /** RE2 QuoteMeta: escapes every character outside letters, digits and underscore that RE2 treats specially. */
    static String quoteMeta(String literal) {
        StringBuilder quoted = new StringBuilder(literal.length() * 2);
        for (char c : literal.toCharArray()) {
            if (SPECIAL.indexOf(c) >= 0) {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.toString();
    }

    private static final String SPECIAL = "\\.+*?()|[]{}^$";
}
