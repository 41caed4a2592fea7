package dev.weft.bench;

import java.util.List;

/**
 * One system in the comparison. {@code direct} is the upstream itself (no process of its own); the others are
 * proxies started from a config template in bench/configs with a command whose {@code ${config}} is the rendered
 * file.
 */
record SystemSpec(String name, String description, String configTemplate, List<String> command) {

    static final String DIRECT = "direct";

    SystemSpec {
        command = List.copyOf(command);
    }

    static SystemSpec direct() {
        return new SystemSpec(DIRECT, "load generator straight to the upstream", null, List.of());
    }

    boolean isDirect() {
        return configTemplate == null;
    }
}
