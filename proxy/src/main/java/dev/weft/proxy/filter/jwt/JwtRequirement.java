package dev.weft.proxy.filter.jwt;

import java.util.List;
import java.util.Set;

/**
 * A compiled {@code JwtRequirement}: a provider (optionally with its own audiences), any or all of several
 * requirements, {@code allow_missing} or {@code allow_missing_or_failed}. Evaluated against one request's
 * {@link RequestVerification}, which verifies each token once.
 */
sealed interface JwtRequirement {

    JwtStatus evaluate(RequestVerification request);

    /** The providers whose keys evaluating this may need. */
    Set<String> providers();

    JwtRequirement NONE = new Nothing();

    /** A missing requirement: anything passes, tokens are not looked at. */
    record Nothing() implements JwtRequirement {
        @Override
        public JwtStatus evaluate(RequestVerification request) {
            return JwtStatus.OK;
        }

        @Override
        public Set<String> providers() {
            return Set.of();
        }
    }

    /** Every token in the provider's locations must verify; none there is MISSING. */
    record Provider(String name, Set<String> audiences) implements JwtRequirement {
        @Override
        public JwtStatus evaluate(RequestVerification request) {
            return request.verifyProvider(name, audiences);
        }

        @Override
        public Set<String> providers() {
            return Set.of(name);
        }
    }

    /** The first that passes; when none does, the first failure other than MISSING, else MISSING. */
    record Any(List<JwtRequirement> requirements, Set<String> providers) implements JwtRequirement {
        @Override
        public JwtStatus evaluate(RequestVerification request) {
            JwtStatus failure = JwtStatus.MISSING;
            for (JwtRequirement r : requirements) {
                JwtStatus s = r.evaluate(request);
                if (s == JwtStatus.OK) {
                    return s;
                }
                if (failure == JwtStatus.MISSING) {
                    failure = s;
                }
            }
            return failure;
        }
    }

    /** Each must pass; the first failure is the answer. */
    record All(List<JwtRequirement> requirements, Set<String> providers) implements JwtRequirement {
        @Override
        public JwtStatus evaluate(RequestVerification request) {
            for (JwtRequirement r : requirements) {
                JwtStatus s = r.evaluate(request);
                if (s != JwtStatus.OK) {
                    return s;
                }
            }
            return JwtStatus.OK;
        }
    }

    /**
     * No token in any provider's location passes; tokens that are there must each verify with the provider of
     * their issuer ({@code failedToo}: {@code allow_missing_or_failed}, which passes whatever they are).
     */
    record AllowMissing(boolean failedToo, Set<String> providers) implements JwtRequirement {
        @Override
        public JwtStatus evaluate(RequestVerification request) {
            JwtStatus s = request.verifyAnyPresent();
            return failedToo || s == JwtStatus.MISSING ? JwtStatus.OK : s;
        }
    }
}
