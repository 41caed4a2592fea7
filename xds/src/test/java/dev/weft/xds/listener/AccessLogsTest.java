package dev.weft.xds.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.api.config.IstioAccessLogFormats;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** meshConfig's accessLogFile reaches every connection manager and TCP proxy a sidecar runs, and none without it. */
class AccessLogsTest {

    private static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}, {name: tcp, port: 9000}]}
            """;

    private static List<FileAccessLog> logs(String meshConfig) throws Exception {
        LoadResult loaded = new ConfigLoader().loadString(SERVICES, "services.yaml");
        MeshSettings mesh = MeshSettings.of(new MeshConfigLoader().loadString(meshConfig, "mesh.yaml").config()
                .orElseThrow(), "cluster.local");
        PushContext push = new PushContext(loaded.snapshot(), ConfigRegistry.build(loaded.snapshot(), List.of(),
                "cluster.local"), mesh);
        ProxyNode reviews = ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.5~reviews-1.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(Struct
                        .newBuilder().putFields("app", Value.newBuilder().setStringValue("reviews").build())).build()))
                .build());
        List<FileAccessLog> logs = new ArrayList<>();
        for (Listener listener : ListenerGenerator.generate(push, reviews)) {
            List<Filter> filters = new ArrayList<>();
            listener.getFilterChainsList().forEach(c -> filters.addAll(c.getFiltersList()));
            filters.addAll(listener.getDefaultFilterChain().getFiltersList());
            for (Filter filter : filters) {
                if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                    for (var log : filter.getTypedConfig().unpack(HttpConnectionManager.class).getAccessLogList()) {
                        logs.add(log.getTypedConfig().unpack(FileAccessLog.class));
                    }
                } else if (filter.getTypedConfig().is(TcpProxy.class)) {
                    for (var log : filter.getTypedConfig().unpack(TcpProxy.class).getAccessLogList()) {
                        logs.add(log.getTypedConfig().unpack(FileAccessLog.class));
                    }
                }
            }
        }
        return logs;
    }

    @Test
    void everyConnectionManagerAndTcpProxyLogsInIstiosFormat() throws Exception {
        assertThat(logs("")).isEmpty();

        List<FileAccessLog> logs = logs("accessLogFile: /dev/stdout\n");
        // Outbound and inbound, HTTP and TCP, the passthrough and blackhole chains included.
        assertThat(logs).hasSizeGreaterThanOrEqualTo(4).allSatisfy(log -> {
            assertThat(log.getPath()).isEqualTo("/dev/stdout");
            assertThat(log.getLogFormat().getTextFormatSource().getInlineString())
                    .isEqualTo(IstioAccessLogFormats.TEXT);
        });
        assertThat(logs("accessLogFile: /dev/stdout\naccessLogEncoding: JSON\n")).allSatisfy(log ->
                assertThat(log.getLogFormat().getJsonFormat().getFieldsMap()).containsKey("response_code_details"));
    }
}
