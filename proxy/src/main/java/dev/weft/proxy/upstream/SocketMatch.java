package dev.weft.proxy.upstream;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.tls.UpstreamTls;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.util.Map;
import java.util.TreeMap;

/**
 * One of a cluster's transport_socket_matches: endpoints whose {@code envoy.transport_socket_match} metadata holds
 * every entry of {@code match} connect with {@code tls} (null: plain text). Istio's auto mTLS is two of them:
 * {@code tlsMode: istio} endpoints (with a sidecar) get mutual TLS, the rest plain text.
 */
public record SocketMatch(String name, Map<String, String> match, UpstreamTls tls) {

    static final String METADATA_KEY = "envoy.transport_socket_match";

    public SocketMatch {
        match = Map.copyOf(match);
    }

    boolean matches(Map<String, String> endpointMetadata) {
        return endpointMetadata.entrySet().containsAll(match.entrySet());
    }

    /** An endpoint's transport socket match metadata; values other than strings, numbers and booleans are errors. */
    static Map<String, String> metadataOf(Metadata metadata) {
        Struct struct = metadata.getFilterMetadataMap().get(METADATA_KEY);
        return struct == null ? Map.of() : strings(struct);
    }

    static Map<String, String> strings(Struct struct) {
        Map<String, String> out = new TreeMap<>();
        struct.getFieldsMap().forEach((key, value) -> out.put(key, string(key, value)));
        return out;
    }

    private static String string(String key, Value value) {
        return switch (value.getKindCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case NUMBER_VALUE -> value.getNumberValue() == Math.rint(value.getNumberValue())
                    ? Long.toString((long) value.getNumberValue()) : Double.toString(value.getNumberValue());
            default -> throw new ConfigException("transport socket match " + key + " must be a string, number or bool");
        };
    }
}
