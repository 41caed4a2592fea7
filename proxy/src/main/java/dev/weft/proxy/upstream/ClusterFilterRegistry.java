package dev.weft.proxy.upstream;

import com.google.protobuf.Any;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.TypedConfigs;
import io.envoyproxy.envoy.config.cluster.v3.Filter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Parsers of a cluster's upstream network filters, keyed by the type URL of their typed config (for a TypedStruct,
 * the type URL it carries). Built by the proxy with its config-time context and injected into the cluster manager.
 * A filter no parser knows rejects the cluster, as in Envoy.
 */
public final class ClusterFilterRegistry {

    /** Knows no filter: a cluster that names one is rejected. */
    public static final ClusterFilterRegistry NONE = new ClusterFilterRegistry(Map.of());

    private final Map<String, Function<Any, UpstreamNetworkFilter>> parsers;

    private ClusterFilterRegistry(Map<String, Function<Any, UpstreamNetworkFilter>> parsers) {
        this.parsers = Map.copyOf(parsers);
    }

    public static Builder builder() {
        return new Builder();
    }

    UpstreamNetworkFilter compile(Filter filter) {
        String typeUrl = TypedConfigs.typeUrl(filter.getTypedConfig());
        Function<Any, UpstreamNetworkFilter> parser = parsers.get(typeUrl);
        if (parser == null) {
            throw new ConfigException("unsupported cluster filter '" + filter.getName() + "' (" + typeUrl + ")");
        }
        try {
            return parser.apply(filter.getTypedConfig());
        } catch (ConfigException e) {
            throw new ConfigException("cluster filter '" + filter.getName() + "': " + e.getMessage());
        }
    }

    /** Collects parsers by full type name of their config message. */
    public static final class Builder {

        private final Map<String, Function<Any, UpstreamNetworkFilter>> parsers = new HashMap<>();

        public Builder register(String fullMessageName, Function<Any, UpstreamNetworkFilter> parser) {
            parsers.put("type.googleapis.com/" + fullMessageName, parser);
            return this;
        }

        public ClusterFilterRegistry build() {
            return new ClusterFilterRegistry(parsers);
        }
    }
}
