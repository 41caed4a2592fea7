package dev.weft.proxy.config;

/**
 * Thrown inside a compiler while it walks one resource, and caught at that resource's boundary where it becomes
 * a {@link ConfigError} value. It never crosses the config boundary.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
