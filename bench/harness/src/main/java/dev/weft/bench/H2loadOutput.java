package dev.weft.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What h2load reports: requests that succeeded, the rate, and how many failed (stream errors and 4xx/5xx). */
record H2loadOutput(long succeeded, double requestsPerSecond, long errors) {

    private static final Pattern RATE = Pattern.compile("finished in [\\d.]+\\w+, ([\\d.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: \\d+ total, \\d+ started, \\d+ done, (\\d+) succeeded, (\\d+) failed, \\d+ errored");

    static H2loadOutput parse(String text) {
        Matcher rate = RATE.matcher(text);
        Matcher requests = REQUESTS.matcher(text);
        if (!rate.find() || !requests.find()) {
            throw new IllegalArgumentException("not h2load output:\n" + text);
        }
        // h2load counts errored streams and 4xx/5xx statuses as failed.
        return new H2loadOutput(Long.parseLong(requests.group(1)), Double.parseDouble(rate.group(1)),
                Long.parseLong(requests.group(2)));
    }
}
