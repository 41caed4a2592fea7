package dev.weft.proxy.server;

import dev.weft.proxy.config.PlainJson;
import dev.weft.proxy.runtime.RuntimeFlags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin's {@code GET /runtime} in Envoy's shape: {@code layers} (here only {@code admin}) and {@code entries},
 * each key with its {@code final_value} and its {@code layer_values}, one per layer.
 */
final class RuntimeView {

    private RuntimeView() {
    }

    static String dump(RuntimeFlags runtime) {
        Map<String, Object> entries = new LinkedHashMap<>();
        runtime.values().forEach((key, value) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("final_value", value);
            entry.put("layer_values", List.of(value));
            entries.put(key, entry);
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("layers", List.of("admin"));
        root.put("entries", entries);
        return PlainJson.write(root) + "\n";
    }
}
