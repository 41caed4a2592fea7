package dev.weft.proxy.filter.rbac;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.NetworkFilterFactory;
import io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC;

/**
 * Parses {@code envoy.extensions.filters.network.rbac.v3.RBAC}, Istio's AuthorizationPolicy for TCP. Stats, as
 * Envoy names them: {@code <stat_prefix>rbac.allowed|denied} and {@code <stat_prefix>rbac.<shadow_rules_stat_prefix>
 * shadow_allowed|shadow_denied}; results go to the connection's dynamic metadata under
 * {@code envoy.filters.network.rbac}.
 */
public final class RbacNetworkFilterParser {

    private static final MessageType<RBAC> RBAC_TYPE = MessageType.of(RBAC.getDescriptor(), RBAC.parser());

    public static final String CONFIG_TYPE = RBAC.getDescriptor().getFullName();
    static final String METADATA_NAMESPACE = "envoy.filters.network.rbac";

    private RbacNetworkFilterParser() {
    }

    public static NetworkFilterFactory parse(Any any, FilterContext context) {
        RBAC config;
        try {
            config = RBAC_TYPE.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("network rbac config does not parse: " + e.getMessage());
        }
        if (config.getStatPrefix().isEmpty()) {
            throw new ConfigException("network rbac needs a stat_prefix");
        }
        if (config.hasMatcher() || config.hasShadowMatcher()) {
            throw new ConfigException("network rbac matcher and shadow_matcher are not supported");
        }
        if (config.hasDelayDeny()) {
            throw new ConfigException("network rbac delay_deny is not supported");
        }
        if (config.getEnforcementType() == RBAC.EnforcementType.UNRECOGNIZED) {
            throw new ConfigException("network rbac enforcement_type " + config.getEnforcementTypeValue() + " is not known");
        }
        RbacEngine engine = new RbacEngine(config.hasRules() ? config.getRules() : null,
                config.hasShadowRules() ? config.getShadowRules() : null, context.stats(),
                config.getStatPrefix() + "rbac.", "", config.getShadowRulesStatPrefix(), METADATA_NAMESPACE);
        boolean continuous = config.getEnforcementType() == RBAC.EnforcementType.CONTINUOUS;
        return worker -> new RbacConnectionFilter(engine, continuous);
    }
}
