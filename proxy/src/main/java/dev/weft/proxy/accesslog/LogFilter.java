package dev.weft.proxy.accesslog;

/**
 * Envoy's access log {@code filter}, compiled: whether a finished request or connection gets a line. Evaluated on
 * the event loop, so it only reads the context and never throws.
 */
@FunctionalInterface
public interface LogFilter {

    LogFilter ALL = context -> true;

    boolean test(AccessLogContext context);
}
