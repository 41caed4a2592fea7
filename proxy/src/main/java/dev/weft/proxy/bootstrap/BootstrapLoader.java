package dev.weft.proxy.bootstrap;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an Envoy v3 bootstrap file. YAML (a superset of JSON) is turned into JSON by Jackson, and protobuf's
 * JSON parser builds the {@link Bootstrap}, resolving typed configs through {@link TypeRegistries#envoy()}.
 * Failures come back as a {@link BootstrapResult.Invalid} with a message, never as an exception.
 */
public final class BootstrapLoader {

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper json = new ObjectMapper();
    private final JsonFormat.Parser parser = JsonFormat.parser().usingTypeRegistry(TypeRegistries.envoy());

    public BootstrapResult load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return new BootstrapResult.Invalid("cannot read bootstrap " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    public BootstrapResult parse(String text) {
        JsonNode tree;
        try {
            tree = yaml.readTree(text);
        } catch (JacksonException e) {
            return new BootstrapResult.Invalid("bootstrap is not valid YAML or JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        }
        if (tree == null || !tree.isObject()) {
            return new BootstrapResult.Invalid("bootstrap must be a YAML or JSON object");
        }
        Bootstrap.Builder builder = Bootstrap.newBuilder();
        try {
            parser.merge(json.writeValueAsString(tree), builder);
        } catch (InvalidProtocolBufferException e) {
            return new BootstrapResult.Invalid("bootstrap does not match the Envoy v3 schema: " + e.getMessage());
        } catch (IOException e) {
            return new BootstrapResult.Invalid("bootstrap could not be converted to JSON: " + e.getMessage());
        }
        return new BootstrapResult.Valid(builder.build());
    }
}
