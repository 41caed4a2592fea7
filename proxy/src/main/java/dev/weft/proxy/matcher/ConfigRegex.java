package dev.weft.proxy.matcher;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;

/**
 * A regex from config, compiled once with RE2/J, so matching request data takes time linear in its length and a
 * pattern can never backtrack catastrophically (Envoy's RE2 guarantee). Like Envoy, a pattern whose program is
 * larger than the limit is a config error: 100 instructions by default ({@code re2.max_program_size.error_level}),
 * or the matcher's own {@code google_re2.max_program_size}.
 */
public final class ConfigRegex {

    public static final int DEFAULT_MAX_PROGRAM_SIZE = 100;

    private ConfigRegex() {
    }

    @SuppressWarnings("deprecation") // google_re2.max_program_size is deprecated in the API and still honoured by Envoy
    public static Pattern compile(RegexMatcher matcher) {
        int max = matcher.hasGoogleRe2() && matcher.getGoogleRe2().hasMaxProgramSize()
                ? matcher.getGoogleRe2().getMaxProgramSize().getValue() : DEFAULT_MAX_PROGRAM_SIZE;
        return compile(matcher.getRegex(), max);
    }

    public static Pattern compile(String regex, int maxProgramSize) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("invalid regex '" + regex + "': " + e.getDescription());
        }
        if (pattern.programSize() > maxProgramSize) {
            throw new ConfigException("regex '" + regex + "' RE2 program size of " + pattern.programSize()
                    + " > max program size of " + maxProgramSize + " set for the error level threshold."
                    + " Increase configured max program size if necessary.");
        }
        return pattern;
    }
}
