package dev.weft.xds.listener;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.xds.push.MeshSettings;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.Optional;

/**
 * meshConfig's access log, as Istio applies it: every HTTP connection manager and TCP proxy of every listener writes
 * a line per request or connection to {@code accessLogFile}, in {@code accessLogFormat} or Istio's default for the
 * encoding. With the proxy's response code details, a denied request's line names the policy that denied it.
 */
final class AccessLogs {

    private AccessLogs() {
    }

    static Listener apply(Listener listener, Optional<MeshSettings.AccessLog> settings) {
        if (settings.isEmpty()) {
            return listener;
        }
        AccessLog log = accessLog(settings.get());
        Listener.Builder withLogs = listener.toBuilder();
        for (FilterChain.Builder chain : withLogs.getFilterChainsBuilderList()) {
            withLog(chain, log);
        }
        if (withLogs.hasDefaultFilterChain()) {
            withLog(withLogs.getDefaultFilterChainBuilder(), log);
        }
        return withLogs.build();
    }

    private static void withLog(FilterChain.Builder chain, AccessLog log) {
        for (Filter.Builder filter : chain.getFiltersBuilderList()) {
            Any config = filter.getTypedConfig();
            try {
                if (config.is(HttpConnectionManager.class)) {
                    filter.setTypedConfig(Any.pack(config.unpack(HttpConnectionManager.class).toBuilder()
                            .addAccessLog(log).build()));
                } else if (config.is(TcpProxy.class)) {
                    filter.setTypedConfig(Any.pack(config.unpack(TcpProxy.class).toBuilder()
                            .addAccessLog(log).build()));
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a generated filter does not parse", e);
            }
        }
    }

    static AccessLog accessLog(MeshSettings.AccessLog settings) {
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
