package dev.weft.proxy.config;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Which extension a typed config is for: its type URL, or for an {@code xds.type.v3.TypedStruct} the type URL it
 * carries, as Envoy finds an extension's factory (Istio sends its own filters' configs, whose protos Envoy's API
 * does not hold, as TypedStructs).
 */
public final class TypedConfigs {

    public static final MessageType<TypedStruct> TYPED_STRUCT = MessageType.of(
            TypedStruct.getDescriptor(), TypedStruct.parser());

    private TypedConfigs() {
    }

    public static String typeUrl(Any config) {
        if (!TYPED_STRUCT.isIn(config)) {
            return config.getTypeUrl();
        }
        try {
            return TYPED_STRUCT.unpack(config).getTypeUrl();
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("TypedStruct: " + e.getMessage());
        }
    }
}
