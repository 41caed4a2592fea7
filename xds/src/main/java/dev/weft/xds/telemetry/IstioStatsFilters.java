package dev.weft.xds.telemetry;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.telemetry.WorkloadMode;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * Istio's stats filter ({@code istio.stats}) for a connection manager or in front of tcp_proxy: the proxy counts Istio's standard metrics and
 * exchanges peer metadata. Its config is Istio's {@code stats.PluginConfig}, carried as a TypedStruct. A sidecar's
 * outbound side and a gateway report as {@code source}; a sidecar's inbound side as {@code destination}, told the
 * services of its port so it can label {@code destination_service}. Telemetry's metric overrides for the direction
 * travel along ({@link IstioMetricOverrides}).
 */
public final class IstioStatsFilters {

    public static final String NAME = "istio.stats";
    static final String PLUGIN_CONFIG = "type.googleapis.com/stats.PluginConfig";

    private IstioStatsFilters() {
    }

    /** For a sidecar's outbound connection managers and a gateway's (Istio's CLIENT mode, also for gateways). */
    public static HttpFilter source(PushContext push, ProxyNode proxy) {
        return filter(sourceConfig(push, proxy));
    }

    /** For a sidecar's inbound connection manager of {@code workloadPort}. */
    public static HttpFilter destination(PushContext push, ProxyNode proxy, int workloadPort) {
        return filter(destinationConfig(push, proxy, workloadPort));
    }

    /** The same filter in front of tcp_proxy, for a sidecar's outbound TCP and a gateway's. */
    public static Filter sourceTcp(PushContext push, ProxyNode proxy) {
        return networkFilter(sourceConfig(push, proxy));
    }

    /** In front of the inbound tcp_proxy of {@code workloadPort}. */
    public static Filter destinationTcp(PushContext push, ProxyNode proxy, int workloadPort) {
        return networkFilter(destinationConfig(push, proxy, workloadPort));
    }

    private static Struct sourceConfig(PushContext push, ProxyNode proxy) {
        return withOverrides(Struct.newBuilder().putFields("reporter", string("source")), push, proxy,
                WorkloadMode.CLIENT);
    }

    /** Telemetry's metric overrides for the direction, when there are any, and its TCP reporting interval. */
    private static Struct withOverrides(Struct.Builder config, PushContext push, ProxyNode proxy, WorkloadMode mode) {
        ListValue overrides = IstioMetricOverrides.of(push.telemetryFor(proxy), mode);
        if (overrides.getValuesCount() > 0) {
            config.putFields("metrics", Value.newBuilder().setListValue(overrides).build());
        }
        IstioMetricOverrides.tcpReportingDuration(push.telemetryFor(proxy))
                .ifPresent(d -> config.putFields("tcp_reporting_duration", string(d)));
        return config.build();
    }

    private static Struct destinationConfig(PushContext push, ProxyNode proxy, int workloadPort) {
        ListValue.Builder services = ListValue.newBuilder();
        for (ServiceInstances instances : push.servicesOf(proxy)) {
            Service service = instances.service();
            if (service.ports().stream().anyMatch(p -> p.effectiveTargetPort() == workloadPort)) {
                services.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("host", string(service.hostname()))
                        .putFields("name", string(shortName(service)))
                        .putFields("namespace", string(service.namespace()))));
            }
        }
        return withOverrides(Struct.newBuilder().putFields("reporter", string("destination"))
                .putFields("inbound_services", Value.newBuilder().setListValue(services).build()), push, proxy,
                WorkloadMode.SERVER);
    }

    /** A Kubernetes service's name is its host's first label; a ServiceEntry host names itself, as in Istio. */
    private static String shortName(Service service) {
        String host = service.hostname();
        return host.startsWith(host.split("\\.")[0] + "." + service.namespace() + ".svc.") ? host.split("\\.")[0] : host;
    }

    private static HttpFilter filter(Struct config) {
        return HttpFilter.newBuilder().setName(NAME).setTypedConfig(typed(config)).build();
    }

    private static Filter networkFilter(Struct config) {
        return Filter.newBuilder().setName(NAME).setTypedConfig(typed(config)).build();
    }

    private static Any typed(Struct config) {
        return Any.pack(TypedStruct.newBuilder().setTypeUrl(PLUGIN_CONFIG).setValue(config).build());
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
