package dev.weft.proxy.filter.metadataexchange;

import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.TypedConfigs;
import java.io.IOException;

/**
 * Istio's {@code envoy.tcp.metadataexchange.config.MetadataExchange}: the ALPN protocol both sides must have chosen
 * ({@code istio-peer-exchange}). Istio sends it as a TypedStruct, older versions as the message itself
 * ({@code string protocol = 1}). Its other fields, {@code enable_discovery} (find a peer that sent no frame by its
 * address) and {@code additional_labels}, are accepted and not acted on.
 */
record MetadataExchangeConfig(String protocol) {

    static final String MESSAGE = "envoy.tcp.metadataexchange.config.MetadataExchange";

    MetadataExchangeConfig {
        if (protocol.isEmpty()) {
            throw new ConfigException("MetadataExchange needs a protocol");
        }
    }

    static MetadataExchangeConfig parse(Any any) {
        try {
            if (TypedConfigs.TYPED_STRUCT.isIn(any)) {
                return new MetadataExchangeConfig(TypedConfigs.TYPED_STRUCT.unpack(any).getValue()
                        .getFieldsOrDefault("protocol", Value.getDefaultInstance()).getStringValue());
            }
            return new MetadataExchangeConfig(protocolField(any.getValue().newCodedInput()));
        } catch (IOException e) {
            throw new ConfigException("MetadataExchange does not parse: " + e.getMessage());
        }
    }

    private static String protocolField(CodedInputStream in) throws IOException {
        String protocol = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag)
                    == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                protocol = in.readStringRequireUtf8();
            } else if (!in.skipField(tag)) {
                throw new InvalidProtocolBufferException("end group without start");
            }
        }
        return protocol;
    }
}
