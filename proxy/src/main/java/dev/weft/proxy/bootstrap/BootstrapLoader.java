package dev.weft.proxy.bootstrap;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.weft.proxy.config.YamlToJson;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an Envoy v3 bootstrap file, JSON or YAML. YAML is turned into JSON by {@link YamlToJson} (a JSON file, as
 * Istio's agent writes, needs none of it), and protobuf's JSON parser builds the {@link Bootstrap}, resolving typed
 * configs through {@link TypeRegistries#envoy()}.
 * Failures come back as a {@link BootstrapResult.Invalid} with a message, never as an exception.
 */
public final class BootstrapLoader {

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
        String json;
        if (text.stripLeading().startsWith("{")) {
            json = text;
        } else {
            try {
                json = YamlToJson.convert(text);
            } catch (YamlToJson.InvalidYaml e) {
                return new BootstrapResult.Invalid("bootstrap is not valid YAML or JSON: " + e.getMessage());
            }
            // The converter writes compact JSON: an object starts with its brace.
            if (!json.startsWith("{")) {
                return new BootstrapResult.Invalid("bootstrap must be a YAML or JSON object");
            }
        }
        // Parsed as a DynamicMessage, then by the generated parser from its bytes: protobuf's JSON parser on a
        // generated builder goes through Java reflection, which caches every public method of each message and
        // builder class it touches (thousands of Method objects a proxy would keep for good).
        DynamicMessage.Builder parsed = DynamicMessage.newBuilder(Bootstrap.getDescriptor());
        try {
            parser.merge(json, parsed);
            return new BootstrapResult.Valid(Bootstrap.parseFrom(parsed.build().toByteString()));
        } catch (InvalidProtocolBufferException e) {
            return new BootstrapResult.Invalid("bootstrap does not match the Envoy v3 schema: " + e.getMessage());
        }
    }
}
