package dev.weft.proxy.router;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.matcher.StringMatcher;
import java.util.List;
import java.util.Map;

/** A compiled {@code config.route.v3.QueryParameterMatcher}: a value match, or mere presence. */
final class QueryParameterMatcher {

    private final String name;
    private final StringMatcher value;

    private QueryParameterMatcher(String name, StringMatcher value) {
        this.name = name;
        this.value = value;
    }

    static QueryParameterMatcher compile(io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher p) {
        if (p.getName().isEmpty()) {
            throw new ConfigException("query parameter matcher needs a name");
        }
        return switch (p.getQueryParameterMatchSpecifierCase()) {
            case STRING_MATCH -> new QueryParameterMatcher(p.getName(), StringMatcher.compile(p.getStringMatch()));
            case PRESENT_MATCH, QUERYPARAMETERMATCHSPECIFIER_NOT_SET -> new QueryParameterMatcher(p.getName(), null);
        };
    }

    boolean matches(Map<String, List<String>> query) {
        List<String> values = query.get(name);
        if (values == null) {
            return false;
        }
        return value == null || value.matches(values.get(0));
    }
}
