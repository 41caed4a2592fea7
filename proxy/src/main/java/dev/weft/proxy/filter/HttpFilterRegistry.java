package dev.weft.proxy.filter;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP filter parsers keyed by the type URL of their typed config, e.g.
 * {@code type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}. Built by the proxy and injected;
 * later features (jwt_authn, rbac, stats) register their parser here.
 */
public final class HttpFilterRegistry {

    public static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private final Map<String, HttpFilterConfigParser> parsers;

    private HttpFilterRegistry(Map<String, HttpFilterConfigParser> parsers) {
        this.parsers = Map.copyOf(parsers);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<HttpFilterConfigParser> parser(String typeUrl) {
        return Optional.ofNullable(parsers.get(typeUrl));
    }

    public boolean isTerminal(String typeUrl) {
        return typeUrl.equals(TYPE_URL_PREFIX + "envoy.extensions.filters.http.router.v3.Router");
    }

    /** Collects parsers by full type name of their config message. */
    public static final class Builder {

        private final Map<String, HttpFilterConfigParser> parsers = new HashMap<>();

        public Builder register(String fullMessageName, HttpFilterConfigParser parser) {
            parsers.put(TYPE_URL_PREFIX + fullMessageName, parser);
            return this;
        }

        public HttpFilterRegistry build() {
            return new HttpFilterRegistry(parsers);
        }
    }
}
