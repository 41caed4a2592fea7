package dev.weft.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What wrk reports: requests completed, their rate, and how many failed (socket errors or non-2xx/3xx). */
record WrkOutput(long requests, double requestsPerSecond, long errors) {

    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    static WrkOutput parse(String text) {
        Matcher total = TOTAL.matcher(text);
        Matcher rate = RATE.matcher(text);
        if (!total.find() || !rate.find()) {
            throw new IllegalArgumentException("not wrk output:\n" + text);
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(text);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET.matcher(text);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new WrkOutput(Long.parseLong(total.group(1)), Double.parseDouble(rate.group(1)), errors);
    }
}
