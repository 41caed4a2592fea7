package dev.weft.proxy.filter.cors;

import dev.weft.proxy.filter.HttpFilterConfigParser;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;

/** The CORS filter: its behaviour comes from each route's cors policy, so its own config is empty. */
public final class CorsFilterParser {

    public static final String CONFIG_TYPE = Cors.getDescriptor().getFullName();

    private CorsFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        return (any, context) -> CorsFilter::new;
    }
}
