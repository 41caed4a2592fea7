package dev.weft.xds.route;

import dev.weft.model.networking.StringMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/** Istio StringMatch to Envoy matchers. An empty StringMatch, or regex "*", means "present". */
final class Matchers {

    private Matchers() {
    }

    static boolean isPresence(StringMatch match) {
        return match == null || (match.exact() == null && match.prefix() == null
                && (match.regex() == null || match.regex().equals("*")));
    }

    static StringMatcher string(StringMatch match, boolean ignoreCase) {
        StringMatcher.Builder matcher = StringMatcher.newBuilder();
        if (match.exact() != null) {
            matcher.setExact(match.exact());
        } else if (match.prefix() != null) {
            matcher.setPrefix(match.prefix());
        } else {
            matcher.setSafeRegex(regex(match.regex()));
        }
        if (ignoreCase) {
            matcher.setIgnoreCase(true);
        }
        return matcher.build();
    }

    static RegexMatcher regex(String regex) {
        return RegexMatcher.newBuilder().setRegex(regex).build();
    }

    static HeaderMatcher header(String name, StringMatch match, boolean inverted) {
        HeaderMatcher.Builder header = HeaderMatcher.newBuilder().setName(name);
        if (isPresence(match)) {
            header.setPresentMatch(true);
        } else {
            header.setStringMatch(string(match, false));
        }
        if (inverted) {
            // Istio: a missing header counts as empty, so withoutHeaders matches requests that lack it.
            header.setInvertMatch(true).setTreatMissingHeaderAsEmpty(true);
        }
        return header.build();
    }

    static QueryParameterMatcher queryParameter(String name, StringMatch match) {
        QueryParameterMatcher.Builder query = QueryParameterMatcher.newBuilder().setName(name);
        if (isPresence(match)) {
            query.setPresentMatch(true);
        } else {
            query.setStringMatch(string(match, false));
        }
        return query.build();
    }
}
