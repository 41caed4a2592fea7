package dev.weft.proxy.filter.rbac;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.HttpFilterFactory;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;

/**
 * Parses {@code envoy.extensions.filters.http.rbac.v3.RBAC} (Istio's AuthorizationPolicy on the wire) and its
 * per-route {@code RBACPerRoute}. Without {@code rules} the filter enforces nothing; {@code shadow_rules} are only
 * evaluated and counted. Stats, as Envoy names them: {@code http.<prefix>.rbac.<rules_stat_prefix>allowed|denied}
 * and {@code shadow_allowed|shadow_denied} (with the shadow prefix); results go to the request's dynamic metadata
 * (see {@link RbacEngine}).
 */
public final class RbacFilterParser {

    private static final MessageType<RBAC> RBAC_CONFIG = MessageType.of(RBAC.getDescriptor(), RBAC.parser());
    private static final MessageType<RBACPerRoute> RBAC_PER_ROUTE = MessageType.of(
            RBACPerRoute.getDescriptor(), RBACPerRoute.parser());

    public static final String CONFIG_TYPE = RBAC_CONFIG.fullName();
    public static final String PER_ROUTE_TYPE = RBAC_PER_ROUTE.fullName();
    /** Where the filter writes its results in a request's dynamic metadata (Envoy's name, whatever the config's). */
    static final String METADATA_NAMESPACE = "envoy.filters.http.rbac";

    private RbacFilterParser() {
    }

    public static HttpFilterConfigParser parser() {
        return (any, context) -> factory(unpack(any, RBAC_CONFIG), context);
    }

    /** A route's RBAC replaces the chain's; an empty one turns RBAC off for the route, as in Envoy. */
    public static HttpFilterConfigParser perRouteParser() {
        return (any, context) -> {
            RBACPerRoute perRoute = unpack(any, RBAC_PER_ROUTE);
            if (!perRoute.hasRbac()) {
                return () -> stream -> FilterStatus.CONTINUE;
            }
            return factory(perRoute.getRbac(), context);
        };
    }

    private static HttpFilterFactory factory(RBAC config, FilterContext context) {
        RbacEngine engine = new RbacEngine(config.hasRules() ? config.getRules() : null,
                config.hasShadowRules() ? config.getShadowRules() : null, context.stats(),
                "http." + context.statPrefix() + ".rbac.", config.getRulesStatPrefix(),
                config.getShadowRulesStatPrefix(), METADATA_NAMESPACE);
        return () -> new RbacFilter(engine);
    }

    private static <T extends Message> T unpack(Any any, MessageType<T> type) {
        try {
            return type.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("rbac config does not parse: " + e.getMessage());
        }
    }
}
