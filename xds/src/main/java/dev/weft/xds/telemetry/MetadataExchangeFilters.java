package dev.weft.xds.telemetry;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.listener.v3.Filter;

/**
 * Istio's TCP metadata exchange ({@code istio.metadata_exchange}), as Istio's {@code TCPListenerMx} and
 * {@code TCPClusterMx}: a TypedStruct of {@code envoy.tcp.metadataexchange.config.MetadataExchange} with the ALPN
 * protocol both sides must negotiate. Istio puts it on a sidecar's inbound TCP chains (the server side) and on every
 * outbound service cluster (the client side); the exchange happens only where mutual TLS chose that protocol.
 */
public final class MetadataExchangeFilters {

    public static final String NAME = "istio.metadata_exchange";
    public static final String PROTOCOL = "istio-peer-exchange";
    static final String CONFIG_TYPE = "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange";

    private static final Any CONFIG = Any.pack(TypedStruct.newBuilder().setTypeUrl(CONFIG_TYPE)
            .setValue(Struct.newBuilder()
                    .putFields("enable_discovery", Value.newBuilder().setBoolValue(true).build())
                    .putFields("protocol", Value.newBuilder().setStringValue(PROTOCOL).build()))
            .build());

    private MetadataExchangeFilters() {
    }

    /** In front of an inbound TCP chain's other filters. */
    public static Filter listener() {
        return Filter.newBuilder().setName(NAME).setTypedConfig(CONFIG).build();
    }

    /** On an outbound cluster, for its tcp_proxy connections. */
    public static io.envoyproxy.envoy.config.cluster.v3.Filter cluster() {
        return io.envoyproxy.envoy.config.cluster.v3.Filter.newBuilder().setName(NAME).setTypedConfig(CONFIG).build();
    }
}
