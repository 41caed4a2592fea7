package dev.weft.proxy.filter;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.router.PerFilterConfigParser;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;

/**
 * Per-route filter configs through the filter registry: the entry's type URL picks the parser. A
 * {@code FilterConfig} wrapper is unwrapped; {@code disabled: true} turns the filter off for the route. An entry
 * of an unknown type is an error unless it is marked optional.
 */
public final class PerRouteFilterConfigs implements PerFilterConfigParser {

    private static final MessageType<FilterConfig> FILTER_CONFIG_TYPE = MessageType.of(
            FilterConfig.getDescriptor(), FilterConfig.parser());

    private static final HttpFilterFactory DISABLED = () -> exchange -> FilterStatus.CONTINUE;

    private final HttpFilterRegistry registry;
    private final FilterContext context;

    public PerRouteFilterConfigs(HttpFilterRegistry registry, FilterContext context) {
        this.registry = registry;
        this.context = context;
    }

    @Override
    public HttpFilterFactory parse(String filterName, Any config) {
        Any inner = config;
        boolean optional = false;
        if (FILTER_CONFIG_TYPE.isIn(config)) {
            FilterConfig wrapper;
            try {
                wrapper = FILTER_CONFIG_TYPE.unpack(config);
            } catch (InvalidProtocolBufferException e) {
                throw new ConfigException("typed_per_filter_config '" + filterName + "' does not parse: " + e.getMessage());
            }
            if (wrapper.getDisabled()) {
                return DISABLED;
            }
            optional = wrapper.getIsOptional();
            inner = wrapper.getConfig();
        }
        var parser = registry.parser(inner.getTypeUrl());
        if (parser.isEmpty()) {
            if (optional) {
                return null;
            }
            throw new ConfigException("typed_per_filter_config '" + filterName + "' has an unknown type " + inner.getTypeUrl());
        }
        try {
            return parser.get().parse(inner, context);
        } catch (ConfigException e) {
            throw new ConfigException("typed_per_filter_config '" + filterName + "': " + e.getMessage());
        }
    }
}
