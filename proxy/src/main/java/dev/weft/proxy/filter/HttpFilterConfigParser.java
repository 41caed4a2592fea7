package dev.weft.proxy.filter;

import com.google.protobuf.Any;
import dev.weft.proxy.config.ConfigException;

/** Validates a filter's typed config (config time) and returns the factory used per request. */
@FunctionalInterface
public interface HttpFilterConfigParser {

    /** @throws ConfigException with a precise message when the config is invalid */
    HttpFilterFactory parse(Any typedConfig, FilterContext context);
}
