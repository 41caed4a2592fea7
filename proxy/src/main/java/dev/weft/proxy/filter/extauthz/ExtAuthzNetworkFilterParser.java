package dev.weft.proxy.filter.extauthz;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.NetworkFilterFactory;
import dev.weft.proxy.matcher.MetadataMatcher;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz;

/**
 * Parses {@code envoy.extensions.filters.network.ext_authz.v3.ExtAuthz} (Istio's CUSTOM action for TCP): a gRPC
 * service ({@code envoy_grpc}), {@code failure_mode_allow}, {@code filter_enabled_metadata}. Stats as Envoy names
 * them: {@code ext_authz.<stat_prefix>.ok|denied|error|disabled|failure_mode_allowed}.
 */
public final class ExtAuthzNetworkFilterParser {

    private static final MessageType<ExtAuthz> EXT_AUTHZ_TYPE = MessageType.of(
            ExtAuthz.getDescriptor(), ExtAuthz.parser());

    public static final String CONFIG_TYPE = EXT_AUTHZ_TYPE.fullName();

    private ExtAuthzNetworkFilterParser() {
    }

    public static NetworkFilterFactory parse(Any any, FilterContext context) {
        ExtAuthz p;
        try {
            p = EXT_AUTHZ_TYPE.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("network ext_authz config does not parse: " + e.getMessage());
        }
        if (p.getStatPrefix().isEmpty()) {
            throw new ConfigException("network ext_authz needs a stat_prefix");
        }
        if (p.getTransportApiVersion() == ApiVersion.V2) {
            throw new ConfigException("network ext_authz transport_api_version V2 is not supported (V3 is)");
        }
        GrpcAuthzService service = ExtAuthzFilterParser.grpc(p.getGrpcService(), null, null, false);
        String prefix = "ext_authz." + p.getStatPrefix() + ".";
        var stats = context.stats();
        ExtAuthzConnectionFilter.Settings settings = new ExtAuthzConnectionFilter.Settings(service,
                p.getFailureModeAllow(),
                p.hasFilterEnabledMetadata() ? MetadataMatcher.compile(p.getFilterEnabledMetadata()) : null,
                stats.counter(prefix + "ok"), stats.counter(prefix + "denied"), stats.counter(prefix + "error"),
                stats.counter(prefix + "disabled"), stats.counter(prefix + "failure_mode_allowed"));
        return worker -> new ExtAuthzConnectionFilter(settings, worker);
    }
}
