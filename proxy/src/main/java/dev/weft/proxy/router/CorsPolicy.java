package dev.weft.proxy.router;

import dev.weft.proxy.matcher.StringMatcher;
import java.util.List;

/** A compiled CORS policy; the origin matchers are compiled once. */
public record CorsPolicy(List<StringMatcher> allowOrigins, String allowMethods, String allowHeaders,
        String exposeHeaders, String maxAge, boolean allowCredentials) {

    public CorsPolicy {
        allowOrigins = List.copyOf(allowOrigins);
    }

    public boolean allows(String origin) {
        for (StringMatcher m : allowOrigins) {
            if (m.matches(origin)) {
                return true;
            }
        }
        return false;
    }
}
