package dev.weft.proxy.accesslog;

/** A compiled {@code log_format}: text or JSON. Formatting only reads the context; nothing is parsed per line. */
public interface LogFormat {

    String format(AccessLogContext context);
}
