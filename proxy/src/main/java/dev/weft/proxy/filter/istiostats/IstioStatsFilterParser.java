package dev.weft.proxy.filter.istiostats;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.accesslog.CelExpression;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.config.TypedConfigs;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.HttpFilterConfigParser;
import dev.weft.proxy.filter.HttpFilterFactory;
import dev.weft.proxy.filter.NetworkFilterFactory;
import dev.weft.proxy.istio.DestinationService;
import dev.weft.proxy.istio.IstioMetrics;
import dev.weft.proxy.istio.MetricCustomization;
import dev.weft.proxy.istio.WorkloadMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Istio's stats filter ({@code istio.stats}) for HTTP and TCP, carried as an {@code xds.type.v3.TypedStruct} of type
 * {@code stats.PluginConfig} because its proto is Istio's, not Envoy's. Its value: {@code reporter}
 * ({@code source} on a sidecar's outbound side and a gateway, {@code destination} on a sidecar's inbound side) and,
 * for an inbound side, {@code inbound_services}: the services of the workload's port ({@code host}, {@code name},
 * {@code namespace}), which {@code destination_service} is picked from by the request's authority; and Telemetry's
 * {@code metrics} overrides as Istio writes them: per metric {@code name}, {@code drop}, {@code tags_to_remove} and
 * {@code dimensions} (tag to CEL expression).
 */
public final class IstioStatsFilterParser {

    public static final String TYPED_STRUCT = TypedConfigs.TYPED_STRUCT.fullName();
    /** The message a TypedStruct of this filter names: its network filter is registered under it. */
    public static final String PLUGIN_CONFIG = "stats.PluginConfig";
    public static final String PLUGIN_CONFIG_TYPE = "type.googleapis.com/" + PLUGIN_CONFIG;

    private IstioStatsFilterParser() {
    }

    /** The HTTP filter, from a TypedStruct whose type is {@link #PLUGIN_CONFIG_TYPE}. */
    public static HttpFilterConfigParser parser() {
        return (Any any, FilterContext context) -> {
            IstioStatsConfig config = config(any);
            IstioMetrics metrics = context.istioMetrics();
            metrics.customize(config.sourceReporter(), config.metrics());
            return new HttpFilterFactory() {
                @Override
                public HttpFilter create() {
                    return new IstioStatsFilter(config, metrics, metrics.localHeader());
                }

                @Override
                public boolean logs() {
                    return true;
                }
            };
        };
    }

    /** The network filter in front of tcp_proxy, from the same config. */
    public static BiFunction<Any, FilterContext, NetworkFilterFactory> networkParser() {
        return (any, context) -> {
            IstioStatsConfig config = config(any);
            context.istioMetrics().customize(config.sourceReporter(), config.metrics());
            IstioTcpStatsFilter filter = new IstioTcpStatsFilter(config, context.istioMetrics());
            return worker -> filter;
        };
    }

    /** Other TypedStructs are not filters weft knows. */
    private static IstioStatsConfig config(Any any) {
        TypedStruct typed;
        try {
            typed = TypedConfigs.TYPED_STRUCT.unpack(any);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("TypedStruct: " + e.getMessage());
        }
        if (!typed.getTypeUrl().equals(PLUGIN_CONFIG_TYPE)) {
            throw new ConfigException("TypedStruct of type " + typed.getTypeUrl() + " is not a filter weft knows");
        }
        return config(typed.getValue());
    }

    static IstioStatsConfig config(Struct value) {
        String reporter = value.getFieldsOrDefault("reporter", Value.getDefaultInstance()).getStringValue();
        if (!reporter.equals("source") && !reporter.equals("destination")) {
            throw new ConfigException("stats.PluginConfig reporter must be source or destination, not \"" + reporter
                    + "\"");
        }
        List<DestinationService> services = new ArrayList<>();
        for (Value v : value.getFieldsOrDefault("inbound_services", Value.getDefaultInstance()).getListValue()
                .getValuesList()) {
            var fields = v.getStructValue().getFieldsMap();
            String host = fields.getOrDefault("host", Value.getDefaultInstance()).getStringValue();
            if (host.isEmpty()) {
                throw new ConfigException("stats.PluginConfig inbound_services entry without a host");
            }
            services.add(new DestinationService(host,
                    fields.getOrDefault("name", Value.newBuilder().setStringValue(host).build()).getStringValue(),
                    fields.getOrDefault("namespace", Value.newBuilder().setStringValue(WorkloadMetadata.UNKNOWN_VALUE)
                            .build()).getStringValue()));
        }
        Map<String, MetricCustomization> metrics = new HashMap<>();
        Map<String, String> tagExpressions = new TreeMap<>();
        for (Value v : value.getFieldsOrDefault("metrics", Value.getDefaultInstance()).getListValue().getValuesList()) {
            var fields = v.getStructValue().getFieldsMap();
            String name = fields.getOrDefault("name", Value.getDefaultInstance()).getStringValue();
            if (!MetricCustomization.METRICS.contains(name)) {
                throw new ConfigException("stats.PluginConfig metrics: \"" + name + "\" is not one of Istio's metrics "
                        + new TreeSet<>(MetricCustomization.METRICS));
            }
            Set<String> removed = new TreeSet<>();
            fields.getOrDefault("tags_to_remove", Value.getDefaultInstance()).getListValue().getValuesList()
                    .forEach(t -> removed.add(t.getStringValue()));
            Map<String, Value> dimensions = fields.getOrDefault("dimensions", Value.getDefaultInstance())
                    .getStructValue().getFieldsMap();
            dimensions.forEach((tag, expression) -> {
                String previous = tagExpressions.putIfAbsent(tag, expression.getStringValue());
                if (previous != null && !previous.equals(expression.getStringValue())) {
                    throw new ConfigException("stats.PluginConfig metrics: tag " + tag + " has different expressions"
                            + " for different metrics; weft computes one value per tag and request");
                }
            });
            metrics.put(name, new MetricCustomization(fields.getOrDefault("drop", Value.getDefaultInstance())
                    .getBoolValue(), removed, dimensions.keySet()));
        }
        String[] tags = tagExpressions.keySet().toArray(String[]::new);
        CelExpression[] expressions = tagExpressions.values().stream().map(IstioStatsFilterParser::expression)
                .toArray(CelExpression[]::new);
        return new IstioStatsConfig(reporter.equals("source"), services, metrics, tags, expressions,
                tcpReporting(value));
    }

    /** {@code tcp_reporting_duration}, a protobuf JSON duration ("5s", "0.5s"); Istio's 5 s when absent. */
    private static Duration tcpReporting(Struct value) {
        Value field = value.getFieldsOrDefault("tcp_reporting_duration", null);
        if (field == null) {
            return IstioStatsConfig.DEFAULT_TCP_REPORTING;
        }
        try {
            Duration d = Durations.of(com.google.protobuf.util.Durations.parse(field.getStringValue()));
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException("stats.PluginConfig tcp_reporting_duration must be positive, not "
                        + field.getStringValue());
            }
            return d;
        } catch (java.text.ParseException e) {
            throw new ConfigException("stats.PluginConfig tcp_reporting_duration is not a duration: \""
                    + field.getStringValue() + "\"");
        }
    }

    /** Istio's tag values are CEL over the request's attributes; a quoted literal is a constant. */
    private static CelExpression expression(String source) {
        try {
            return CelExpression.parse(source);
        } catch (ConfigException e) {
            throw new ConfigException("stats.PluginConfig metrics: " + e.getMessage());
        }
    }
}
