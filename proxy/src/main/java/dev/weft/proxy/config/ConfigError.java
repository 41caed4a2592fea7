package dev.weft.proxy.config;

/** A rejected piece of configuration: which resource, and why, in words a user can act on. */
public record ConfigError(String resourceType, String resourceName, String message) {

    @Override
    public String toString() {
        return resourceType + " " + resourceName + ": " + message;
    }
}
