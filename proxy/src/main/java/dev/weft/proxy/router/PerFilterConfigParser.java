package dev.weft.proxy.router;

import com.google.protobuf.Any;

/** Compiles a route's or virtual host's {@code typed_per_filter_config} entry at config time. */
@FunctionalInterface
public interface PerFilterConfigParser {

    /** Rejects nothing: a no-op parser for route tables whose filters take no per-route config. */
    PerFilterConfigParser NONE = (name, config) -> null;

    /**
     * @return the config that replaces the chain's filter named {@code filterName} for matching requests, or null
     *     when the entry is to be ignored
     * @throws dev.weft.proxy.config.ConfigException when the entry is invalid
     */
    RouteSpecificFilterConfig parse(String filterName, Any config);
}
