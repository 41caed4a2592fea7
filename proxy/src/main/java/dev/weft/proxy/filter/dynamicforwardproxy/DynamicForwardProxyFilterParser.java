package dev.weft.proxy.filter.dynamicforwardproxy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.HttpFilterFactory;
import io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig;

/**
 * Envoy's {@code envoy.filters.http.dynamic_forward_proxy}, which Envoy needs beside a dynamic forward proxy cluster
 * to load the request's host into their shared DNS cache before routing. In weft-proxy the cluster resolves the
 * host itself when the router picks it, so the filter only checks its config and lets requests pass.
 */
public final class DynamicForwardProxyFilterParser {

    private static final MessageType<FilterConfig> FILTER_CONFIG_TYPE = MessageType.of(
            FilterConfig.getDescriptor(), FilterConfig.parser());

    public static final String CONFIG_TYPE = FilterConfig.getDescriptor().getFullName();

    private DynamicForwardProxyFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        HttpFilter passes = exchange -> FilterStatus.CONTINUE;
        HttpFilterFactory factory = () -> passes;
        return (any, context) -> {
            try {
                FilterConfig config = FILTER_CONFIG_TYPE.unpack(any);
                if (!config.hasDnsCacheConfig() && !config.hasSubClusterConfig()) {
                    throw new ConfigException("dynamic_forward_proxy filter needs dns_cache_config");
                }
            } catch (InvalidProtocolBufferException e) {
                throw new ConfigException("dynamic_forward_proxy filter config does not parse: " + e.getMessage());
            }
            return factory;
        };
    }
}
