package dev.weft.proxy.filter.extauthz;

import dev.weft.proxy.matcher.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compiled {@code ListStringMatcher} over header names: a name matches when any of the patterns does. Names are
 * matched in lower case, as Envoy's header maps hold them.
 */
record HeaderNames(List<StringMatcher> patterns) {

    /** The list, or null when the config does not set it (each use has its own default). */
    static HeaderNames of(boolean set, ListStringMatcher list) {
        return set ? new HeaderNames(list.getPatternsList().stream().map(StringMatcher::compile).toList()) : null;
    }

    boolean matches(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (StringMatcher m : patterns) {
            if (m.matches(lower)) {
                return true;
            }
        }
        return false;
    }

    /** The headers whose names match, or none when the list is not set. */
    static HttpHeaders select(HeaderNames names, HttpHeaders from) {
        HttpHeaders out = new DefaultHttpHeaders();
        if (names != null) {
            for (Map.Entry<String, String> h : from) {
                if (names.matches(h.getKey())) {
                    out.add(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
                }
            }
        }
        return out;
    }
}
