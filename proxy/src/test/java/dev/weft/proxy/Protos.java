package dev.weft.proxy;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.weft.proxy.bootstrap.TypeRegistries;
import dev.weft.proxy.config.YamlToJson;

/** Builds Envoy protos from YAML in tests, read as a bootstrap's YAML is. */
public final class Protos {

    private Protos() {
    }

    @SuppressWarnings("unchecked")
    public static <T extends Message> T fromYaml(String yaml, T.Builder builder) {
        try {
            JsonFormat.parser().usingTypeRegistry(TypeRegistries.envoy()).merge(YamlToJson.convert(yaml), builder);
            return (T) builder.build();
        } catch (Exception e) {
            throw new AssertionError("bad test YAML: " + e.getMessage(), e);
        }
    }
}
