package dev.weft.proxy.accesslog;

import dev.weft.proxy.config.ConfigException;

/**
 * A CEL expression over Envoy's request attributes, parsed once when the config arrives (Envoy's
 * {@code envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter}, Istio's Telemetry
 * {@code accessLogging.filter.expression}). As a filter it logs a request when the expression is {@code true};
 * a result of another type or an error (a missing attribute, a type mismatch) does not log, as in Envoy.
 */
public final class CelExpression implements LogFilter {

    private static final int MAX_LENGTH = 16_384;

    private final String source;
    private final CelNode root;

    private CelExpression(String source, CelNode root) {
        this.source = source;
        this.root = root;
    }

    /** Parses {@code source}; a syntax error, an unknown attribute or function is a {@link ConfigException}. */
    public static CelExpression parse(String source) {
        if (source.isBlank()) {
            throw new ConfigException("CEL expression is empty");
        }
        if (source.length() > MAX_LENGTH) {
            throw new ConfigException("CEL expression is longer than " + MAX_LENGTH + " characters");
        }
        try {
            return new CelExpression(source, CelParser.parse(source));
        } catch (ConfigException e) {
            throw new ConfigException("CEL expression \"" + source + "\": " + e.getMessage());
        }
    }

    /** The value: {@code Long}, {@code String}, {@code Boolean}, {@code Duration}, a list, or a {@link CelError}. */
    Object evaluate(AccessLogContext context) {
        return root.eval(context);
    }

    /**
     * The value as a metric label, as Istio's stats filter uses a tag's expression: its text, or {@code unknown}
     * when it cannot be had (an error, a missing attribute).
     */
    public String label(AccessLogContext context) {
        try {
            Object value = root.eval(context);
            return value == null || value instanceof CelError ? "unknown" : String.valueOf(value);
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public boolean test(AccessLogContext context) {
        try {
            return Boolean.TRUE.equals(root.eval(context));
        } catch (RuntimeException e) {
            // Evaluation returns errors as values; this guards the event loop against a defect all the same.
            return false;
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
