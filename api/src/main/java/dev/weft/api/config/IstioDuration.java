package dev.weft.api.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as Istio's flags and environment write it ("24h", "90m", "1h30m", "45s"): weftd's
 * {@code --workload-cert-ttl}, the proxy agent's {@code SECRET_TTL}.
 */
public final class IstioDuration {

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private IstioDuration() {
    }

    /** Parses {@code value}; {@code name} (the flag or variable) goes into the error message. */
    public static Duration parse(String name, String value) {
        Matcher m = DURATION.matcher(value);
        if (value.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException(name + " " + value + " is not a duration such as 24h, 90m or 45s");
        }
        Duration d = Duration.ZERO;
        for (int g = 1; g <= 3; g++) {
            if (m.group(g) != null) {
                long n = Long.parseLong(m.group(g));
                d = d.plus(g == 1 ? Duration.ofHours(n) : g == 2 ? Duration.ofMinutes(n) : Duration.ofSeconds(n));
            }
        }
        if (d.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than zero");
        }
        return d;
    }
}
