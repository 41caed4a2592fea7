package dev.weft.proxy.filter.router;

import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.HttpFilterFactory;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;

/** The router filter: its config has nothing this proxy needs yet, so every instance is alike. */
public final class RouterFilterParser {

    public static final String CONFIG_TYPE = Router.getDescriptor().getFullName();

    private RouterFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        HttpFilterFactory factory = RouterFilter::new;
        return (any, context) -> factory;
    }
}
