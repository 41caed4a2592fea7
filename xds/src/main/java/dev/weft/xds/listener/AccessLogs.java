package dev.weft.xds.listener;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.telemetry.WorkloadMode;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.telemetry.AccessLoggingPolicy;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ExtensionFilter;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Access logs as Istio configures them: every HTTP connection manager and TCP proxy of a listener writes a line per
 * request or connection to each provider the proxy's Telemetry {@code accessLogging} turns on for the listener's
 * direction ({@link AccessLoggingPolicy}), behind the CEL filter Telemetry set for it. Without Telemetry access
 * logging (and without default providers), meshConfig's {@code accessLogFile} applies to every listener, in
 * {@code accessLogFormat} or Istio's default for the encoding. With the proxy's response code details, a denied
 * request's line names the policy that denied it.
 */
final class AccessLogs {

    /** Istio's name for the CEL access log filter. */
    static final String CEL_FILTER = "envoy.access_loggers.extension_filters.cel";

    private AccessLogs() {
    }

    /** The access logs of the proxy's listeners of one direction (CLIENT: outbound and gateways, SERVER: inbound). */
    static List<AccessLog> of(PushContext push, ProxyNode proxy, WorkloadMode mode) {
        MeshSettings mesh = push.mesh();
        Optional<List<AccessLoggingPolicy.ProviderLog>> telemetry = AccessLoggingPolicy.resolve(
                push.telemetryFor(proxy), mesh.accessLogProviders().defaults(), mode);
        if (telemetry.isEmpty()) {
            return mesh.accessLog().map(AccessLogs::accessLog).stream().toList();
        }
        List<AccessLog> logs = new ArrayList<>();
        for (AccessLoggingPolicy.ProviderLog provider : telemetry.get()) {
            // Providers of other kinds (metrics, tracing, log services) or unknown names write no file log, as Istio.
            mesh.accessLogProviders().file(provider.provider())
                    .ifPresent(file -> logs.add(filtered(accessLog(file), provider.filter())));
        }
        return List.copyOf(logs);
    }

    private static AccessLog filtered(AccessLog log, Optional<String> expression) {
        return expression.map(e -> log.toBuilder().setFilter(AccessLogFilter.newBuilder()
                .setExtensionFilter(ExtensionFilter.newBuilder().setName(CEL_FILTER)
                        .setTypedConfig(Any.pack(ExpressionFilter.newBuilder().setExpression(e).build()))))
                .build()).orElse(log);
    }

    static Listener apply(Listener listener, List<AccessLog> logs) {
        if (logs.isEmpty()) {
            return listener;
        }
        Listener.Builder withLogs = listener.toBuilder();
        for (FilterChain.Builder chain : withLogs.getFilterChainsBuilderList()) {
            withLogs(chain, logs);
        }
        if (withLogs.hasDefaultFilterChain()) {
            withLogs(withLogs.getDefaultFilterChainBuilder(), logs);
        }
        return withLogs.build();
    }

    private static void withLogs(FilterChain.Builder chain, List<AccessLog> logs) {
        for (Filter.Builder filter : chain.getFiltersBuilderList()) {
            Any config = filter.getTypedConfig();
            try {
                if (config.is(HttpConnectionManager.class)) {
                    filter.setTypedConfig(Any.pack(config.unpack(HttpConnectionManager.class).toBuilder()
                            .addAllAccessLog(logs).build()));
                } else if (config.is(TcpProxy.class)) {
                    filter.setTypedConfig(Any.pack(config.unpack(TcpProxy.class).toBuilder()
                            .addAllAccessLog(logs).build()));
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a generated filter does not parse", e);
            }
        }
    }

    private static AccessLog accessLog(MeshSettings.AccessLog settings) {
        SubstitutionFormatString.Builder format = SubstitutionFormatString.newBuilder();
        if (settings.json()) {
            Struct.Builder fields = Struct.newBuilder();
            settings.jsonFormat().forEach((key, value) ->
                    fields.putFields(key, Value.newBuilder().setStringValue(value).build()));
            format.setJsonFormat(fields);
        } else {
            format.setTextFormatSource(DataSource.newBuilder().setInlineString(settings.textFormat()));
        }
        return AccessLog.newBuilder()
                .setName("envoy.access_loggers.file")
                .setTypedConfig(Any.pack(FileAccessLog.newBuilder().setPath(settings.path()).setLogFormat(format)
                        .build()))
                .build();
    }
}
