package dev.weft.proxy.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.proxy.runtime.RuntimeFlags;

/**
 * The admin's {@code GET /runtime} in Envoy's shape: {@code layers} (here only {@code admin}) and {@code entries},
 * each key with its {@code final_value} and its {@code layer_values}, one per layer.
 */
final class RuntimeView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuntimeView() {
    }

    static String dump(RuntimeFlags runtime) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("layers").add("admin");
        ObjectNode entries = root.putObject("entries");
        runtime.values().forEach((key, value) -> {
            ObjectNode entry = entries.putObject(key);
            entry.put("final_value", value);
            ArrayNode layers = entry.putArray("layer_values");
            layers.add(value);
        });
        return root.toPrettyString() + "\n";
    }
}
