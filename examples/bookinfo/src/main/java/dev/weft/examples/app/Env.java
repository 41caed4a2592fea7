package dev.weft.examples.app;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of an app's environment variables. The map is passed in (not read from the process) so a test
 * configures an app exactly as the local runtime does. A bad value throws {@link InvalidSettingException}
 * naming the variable, the value and what was expected.
 */
public record Env(Map<String, String> variables) {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    public Env {
        variables = Map.copyOf(variables);
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables);
    }

    /** The value if set and not blank. */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(variables.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    public String text(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /** A TCP port, 0 meaning "any free port" (what tests use). */
    public int port(String name, int fallback) {
        return optional(name).map(value -> parsePort(name, value)).orElse(fallback);
    }

    /** A port given some other way (tcp-echo takes them as arguments), checked like {@link #port}. */
    public static int parsePort(String name, String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new InvalidSettingException(name, value, "a port number from 0 to 65535");
    }

    /** A duration in Istio's notation: {@code 3s}, {@code 2.5s}, {@code 250ms}, {@code 1m}. */
    public Duration duration(String name, Duration fallback) {
        return optional(name).map(value -> parseDuration(name, value)).orElse(fallback);
    }

    public boolean flag(String name, boolean fallback) {
        return optional(name).map(value -> switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new InvalidSettingException(name, value, "true or false");
        }).orElse(fallback);
    }

    /** A peer's base URL such as {@code http://details:9080}; a trailing slash is dropped. */
    public URI baseUrl(String name, String fallback) {
        String value = text(name, fallback);
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new InvalidSettingException(name, value, "an http:// URL with a host, like " + fallback);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(name, value, "an http:// URL with a host, like " + fallback);
        }
    }

    /**
     * The outbound HTTP proxy from {@code HTTP_PROXY} or {@code http_proxy} ({@code http://host:port} or
     * {@code host:port}); empty when neither is set, so calls go straight to the peer.
     */
    public Optional<InetSocketAddress> httpProxy() {
        String name = optional("HTTP_PROXY").isPresent() ? "HTTP_PROXY" : "http_proxy";
        return optional(name).map(value -> parseProxy(name, value));
    }

    private static InetSocketAddress parseProxy(String name, String value) {
        String expected = "http://host:port, like http://127.0.0.1:15001";
        String withScheme = value.contains("://") ? value : "http://" + value;
        try {
            URI uri = new URI(withScheme);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
                throw new InvalidSettingException(name, value, expected);
            }
            return new InetSocketAddress(uri.getHost(), uri.getPort());
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(name, value, expected);
        }
    }

    private static Duration parseDuration(String name, String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new InvalidSettingException(name, value, "a duration like 3s, 2.5s or 250ms");
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            default -> amount * 60_000;
        };
        if (millis < 1) {
            throw new InvalidSettingException(name, value, "a duration of at least 1ms");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** A variable whose value cannot be used; the message is meant for the person who set it. */
    public static final class InvalidSettingException extends IllegalArgumentException {
        public InvalidSettingException(String name, String value, String expected) {
            super(name + "=\"" + value + "\" is invalid: expected " + expected);
        }

        public InvalidSettingException(String message) {
            super(message);
        }
    }
}
