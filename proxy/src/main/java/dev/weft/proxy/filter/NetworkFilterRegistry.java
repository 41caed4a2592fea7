package dev.weft.proxy.filter;

import com.google.protobuf.Any;
import dev.weft.proxy.config.TypedConfigs;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Parsers of the network filters that may precede a chain's terminal filter, keyed by the type URL of their typed
 * config (e.g. {@code type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC}; for a TypedStruct, the type
 * URL it carries). Built by the proxy and injected into the listener compiler. A parser throws
 * {@code ConfigException} for an invalid config.
 */
public final class NetworkFilterRegistry {

    private final Map<String, BiFunction<Any, FilterContext, NetworkFilterFactory>> parsers;

    private NetworkFilterRegistry(Map<String, BiFunction<Any, FilterContext, NetworkFilterFactory>> parsers) {
        this.parsers = Map.copyOf(parsers);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<BiFunction<Any, FilterContext, NetworkFilterFactory>> parser(Any config) {
        return Optional.ofNullable(parsers.get(TypedConfigs.typeUrl(config)));
    }

    /** Collects parsers by full type name of their config message. */
    public static final class Builder {

        private final Map<String, BiFunction<Any, FilterContext, NetworkFilterFactory>> parsers = new HashMap<>();

        public Builder register(String fullMessageName, BiFunction<Any, FilterContext, NetworkFilterFactory> parser) {
            parsers.put(HttpFilterRegistry.TYPE_URL_PREFIX + fullMessageName, parser);
            return this;
        }

        public NetworkFilterRegistry build() {
            return new NetworkFilterRegistry(parsers);
        }
    }
}
