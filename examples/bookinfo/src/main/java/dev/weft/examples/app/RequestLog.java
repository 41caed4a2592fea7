package dev.weft.examples.app;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes one access-log line per request once it is answered:
 * {@code <time> <app> <client> "<method> <uri> <protocol>" <status> <millis>ms host=<Host>}. The Host shows what
 * the mesh sent: a mirrored copy arrives with Envoy's {@code -shadow} suffix.
 */
final class RequestLog extends Filter {
    private final String app;
    private final PrintStream out;
    private final Clock clock;

    RequestLog(String app, PrintStream out, Clock clock) {
        this.app = app;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Instant start = clock.instant();
        try {
            chain.doFilter(exchange);
        } finally {
            long millis = Duration.between(start, clock.instant()).toMillis();
            out.println(start + " " + app + " " + exchange.getRemoteAddress().getAddress().getHostAddress()
                    + " \"" + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getProtocol() + "\" " + exchange.getResponseCode() + " " + millis + "ms host="
                    + Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Host"), "-"));
        }
    }

    @Override
    public String description() {
        return "access log of " + app;
    }
}
