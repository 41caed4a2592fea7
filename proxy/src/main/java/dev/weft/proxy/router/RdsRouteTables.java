package dev.weft.proxy.router;

import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route tables that came over RDS, compiled once when they arrive. An update replaces the set (state of the
 * world); a table that fails to compile keeps its last good version.
 */
public final class RdsRouteTables {

    private final PerFilterConfigParser perFilter;
    private volatile Map<String, RouteTable> tables = Map.of();
    private volatile Map<String, RouteConfiguration> protos = Map.of();

    public RdsRouteTables(PerFilterConfigParser perFilter) {
        this.perFilter = perFilter;
    }

    public synchronized List<ConfigError> apply(List<RouteConfiguration> incoming) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, RouteTable> next = new HashMap<>();
        Map<String, RouteConfiguration> accepted = new LinkedHashMap<>();
        for (RouteConfiguration p : incoming) {
            try {
                next.put(p.getName(), RouteTableCompiler.compile(p, perFilter));
                accepted.put(p.getName(), p);
            } catch (ConfigException e) {
                errors.add(new ConfigError("route", p.getName(), e.getMessage()));
                if (tables.containsKey(p.getName())) {
                    next.put(p.getName(), tables.get(p.getName()));
                    accepted.put(p.getName(), protos.get(p.getName()));
                }
            }
        }
        tables = Map.copyOf(next);
        protos = accepted;
        return errors;
    }

    public Map<String, RouteTable> tables() {
        return tables;
    }

    /** The protos in force, for /config_dump. */
    public Map<String, RouteConfiguration> protos() {
        return protos;
    }
}
