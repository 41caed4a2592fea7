package dev.weft.proxy.accesslog;

/** Where access log lines go; {@link AccessLogWriter#sink} makes them. Never blocks the caller. */
@FunctionalInterface
public interface AccessLogSink {

    void write(String line);
}
