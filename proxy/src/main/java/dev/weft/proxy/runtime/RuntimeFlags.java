package dev.weft.proxy.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Envoy's runtime, reduced to its admin layer: string keys set through the admin API ({@code POST
 * /runtime_modify?key=value}, an empty value removes the key) and read by the data plane. Kept in memory only, so
 * a restart forgets them, as Envoy's admin layer. Reads are a concurrent map lookup, safe from any event loop.
 */
public final class RuntimeFlags {

    /** Beyond Envoy: {@code true} makes authorization denials name their cause in {@code x-weft-denied-by}. */
    public static final String DENIAL_HEADER = "weft.debug.denial_header";

    private final Map<String, String> admin = new ConcurrentHashMap<>();

    public String get(String key) {
        return admin.get(key);
    }

    /** Envoy's boolean runtime values: {@code true} or {@code false}; anything else (or unset) is the default. */
    public boolean enabled(String key, boolean defaultValue) {
        String v = admin.get(key);
        if ("true".equals(v)) {
            return true;
        }
        return "false".equals(v) ? false : defaultValue;
    }

    public void set(String key, String value) {
        if (value == null || value.isEmpty()) {
            admin.remove(key);
        } else {
            admin.put(key, value);
        }
    }

    /** The keys and values, in key order. */
    public Map<String, String> values() {
        return new TreeMap<>(admin);
    }
}
