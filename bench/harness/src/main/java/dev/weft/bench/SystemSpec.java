package dev.weft.bench;

import java.util.List;
import java.util.Map;

/**
 * One system in the comparison. {@code direct} is the upstream itself (no process of its own); the others are
 * proxies started from a config template in bench/configs with a command whose {@code ${config}} is the rendered
 * file. The one-hop template also serves both sidecars of the plain two-hop scenarios; {@code mtlsSidecars} are
 * the templates of the outbound and inbound sidecar with mutual TLS between them, and the arguments a sidecar that
 * gets its certificate from weftd's CA adds to its command (none for a system that reads certificate files).
 * {@code templateValues} fill the template's own placeholders; they may use the harness's (ports, workdir).
 */
record SystemSpec(String name, String description, String configTemplate, List<String> command,
        SidecarTemplates mtlsSidecars, Map<String, String> templateValues) {

    static final String DIRECT = "direct";

    /** Config templates for the sidecar next to the client (outbound) and the one next to the server (inbound). */
    record SidecarTemplates(String outbound, String inbound, List<String> agentArguments) {
        SidecarTemplates {
            agentArguments = List.copyOf(agentArguments);
        }

        SidecarTemplates(String outbound, String inbound) {
            this(outbound, inbound, List.of());
        }
    }

    SystemSpec {
        command = List.copyOf(command);
        templateValues = Map.copyOf(templateValues);
    }

    SystemSpec(String name, String description, String configTemplate, List<String> command,
            SidecarTemplates mtlsSidecars) {
        this(name, description, configTemplate, command, mtlsSidecars, Map.of());
    }

    /** The same system started with another command. */
    SystemSpec withCommand(List<String> newCommand) {
        return new SystemSpec(name, description, configTemplate, newCommand, mtlsSidecars, templateValues);
    }

    /** The same system with its own config template and values for the template's own placeholders. */
    SystemSpec withTemplate(String newName, String newDescription, String template, Map<String, String> values) {
        return new SystemSpec(newName, newDescription, template, command, mtlsSidecars, values);
    }

    static SystemSpec direct() {
        return new SystemSpec(DIRECT, "load generator straight to the upstream", null, List.of(), null);
    }

    boolean isDirect() {
        return configTemplate == null;
    }
}
