package dev.weft.proxy.accesslog;

/** One compiled command operator ({@code %NAME(arg):Z%}) of a format string. */
@FunctionalInterface
interface CommandOperator {

    /**
     * The operator's value: a {@code String}, a {@code Long} (numbers Envoy logs as JSON numbers), a protobuf
     * {@code Value} (dynamic metadata), or null when there is none (text prints {@code -}, JSON {@code null}).
     */
    Object value(AccessLogContext context);
}
