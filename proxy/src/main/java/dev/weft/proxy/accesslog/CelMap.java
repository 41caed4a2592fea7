package dev.weft.proxy.accesslog;

/** A CEL map attribute read one key at a time (headers), so a request's headers are never copied to be filtered. */
@FunctionalInterface
interface CelMap {

    /** The value of {@code key}, or null when there is none. */
    Object get(String key);
}
