package dev.weft.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.weft.proxy.bootstrap.TypeRegistries;

/** Builds Envoy protos from YAML in tests. */
public final class Protos {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private Protos() {
    }

    @SuppressWarnings("unchecked")
    public static <T extends Message> T fromYaml(String yaml, T.Builder builder) {
        try {
            String json = JSON.writeValueAsString(YAML.readTree(yaml));
            JsonFormat.parser().usingTypeRegistry(TypeRegistries.envoy()).merge(json, builder);
            return (T) builder.build();
        } catch (Exception e) {
            throw new AssertionError("bad test YAML: " + e.getMessage(), e);
        }
    }
}
