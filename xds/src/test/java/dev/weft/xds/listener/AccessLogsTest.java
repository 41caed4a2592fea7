package dev.weft.xds.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.api.config.IstioAccessLogFormats;
import dev.weft.proxy.accesslog.AccessLogCompiler;
import dev.weft.proxy.accesslog.AccessLogger;
import dev.weft.proxy.accesslog.CelExpression;
import dev.weft.xds.PushFixture;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which listeners write access logs where: meshConfig's accessLogFile on every connection manager and TCP proxy,
 * and Istio's Telemetry accessLogging by mesh, namespace and workload, per direction, with CEL filters.
 */
class AccessLogsTest {

    private static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}, {name: tcp, port: 9000}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: other}
            spec: {selector: {app: ratings}, ports: [{name: http, port: 9080}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gateway, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
            """;
    private static final String PROVIDERS = """
            extensionProviders:
            - name: failures
              envoyFileAccessLog:
                path: /var/log/failures.log
                logFormat: {text: "%RESPONSE_CODE% %REQ(:PATH)%"}
            - name: json
              envoyFileAccessLog:
                path: /dev/stdout
                logFormat: {labels: {code: "%RESPONSE_CODE%", path: "%REQ(:PATH)%"}}
            """;
    private static final ProxyNode REVIEWS = PushFixture.node(
            "sidecar~10.0.0.5~reviews-1.default~default.svc.cluster.local", Map.of("app", "reviews"));
    private static final ProxyNode RATINGS = PushFixture.node(
            "sidecar~10.0.0.6~ratings-1.other~other.svc.cluster.local", Map.of("app", "ratings"));
    private static final ProxyNode GATEWAY = PushFixture.node(
            "router~10.0.9.1~ingress-1.istio-system~istio-system.svc.cluster.local", Map.of("istio", "ingressgateway"));

    private static String telemetry(String name, String namespace, String spec) {
        return """
                ---
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: %s, namespace: %s}
                spec:
                %s""".formatted(name, namespace, spec.indent(2));
    }

    private static PushContext push(String meshConfig, String telemetries) {
        return PushFixture.push(SERVICES + telemetries, PushFixture.mesh(meshConfig));
    }

    /** Each listener's access logs (of all its connection managers and TCP proxies), by listener name. */
    private static Map<String, List<AccessLog>> logs(PushContext push, ProxyNode proxy) throws Exception {
        Map<String, List<AccessLog>> byListener = new TreeMap<>();
        for (Listener listener : ListenerGenerator.generate(push, proxy)) {
            List<Filter> filters = new ArrayList<>();
            listener.getFilterChainsList().forEach(c -> filters.addAll(c.getFiltersList()));
            filters.addAll(listener.getDefaultFilterChain().getFiltersList());
            List<AccessLog> logs = new ArrayList<>();
            for (Filter filter : filters) {
                if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                    logs.addAll(filter.getTypedConfig().unpack(HttpConnectionManager.class).getAccessLogList());
                } else if (filter.getTypedConfig().is(TcpProxy.class)) {
                    logs.addAll(filter.getTypedConfig().unpack(TcpProxy.class).getAccessLogList());
                }
            }
            byListener.put(listener.getName(), logs);
        }
        return byListener;
    }

    private static List<AccessLog> all(PushContext push, ProxyNode proxy) throws Exception {
        return logs(push, proxy).values().stream().flatMap(List::stream).toList();
    }

    private static FileAccessLog file(AccessLog log) {
        try {
            return log.getTypedConfig().unpack(FileAccessLog.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static String path(AccessLog log) {
        return file(log).getPath();
    }

    private static String expression(AccessLog log) throws Exception {
        assertThat(log.getFilter().getExtensionFilter().getName())
                .isEqualTo("envoy.access_loggers.extension_filters.cel");
        return log.getFilter().getExtensionFilter().getTypedConfig().unpack(ExpressionFilter.class).getExpression();
    }

    @Test
    void meshConfigsAccessLogFileReachesEveryConnectionManagerAndTcpProxy() throws Exception {
        assertThat(all(push("", ""), REVIEWS)).isEmpty();

        List<AccessLog> logs = all(push("accessLogFile: /dev/stdout\n", ""), REVIEWS);
        // Outbound and inbound, HTTP and TCP, the passthrough and blackhole chains included.
        assertThat(logs).hasSizeGreaterThanOrEqualTo(4).allSatisfy(log -> {
            assertThat(path(log)).isEqualTo("/dev/stdout");
            assertThat(log.hasFilter()).isFalse();
            assertThat(file(log).getLogFormat().getTextFormatSource().getInlineString())
                    .isEqualTo(IstioAccessLogFormats.TEXT);
        });
        assertThat(all(push("accessLogFile: /dev/stdout\naccessLogEncoding: JSON\n", ""), REVIEWS)).allSatisfy(log ->
                assertThat(file(log).getLogFormat().getJsonFormat().getFieldsMap()).containsKey("response_code_details"));
    }

    @Test
    void aMeshTelemetryNamingTheBuiltInEnvoyProviderLogsEveryListenerOfEveryProxy() throws Exception {
        PushContext push = push("", telemetry("mesh-default", "istio-system",
                "accessLogging: [{providers: [{name: envoy}]}]"));
        for (ProxyNode proxy : List.of(REVIEWS, RATINGS, GATEWAY)) {
            Map<String, List<AccessLog>> logs = logs(push, proxy);
            assertThat(logs.values()).as(proxy.id()).allSatisfy(l -> assertThat(l).isNotEmpty());
            assertThat(logs.values().stream().flatMap(List::stream).toList()).allSatisfy(log -> {
                assertThat(path(log)).isEqualTo("/dev/stdout");
                assertThat(file(log).getLogFormat().getTextFormatSource().getInlineString())
                        .isEqualTo(IstioAccessLogFormats.TEXT);
            });
        }
    }

    @Test
    void telemetryReplacesMeshConfigsAccessLogFileAndUsesTheProvidersFormat() throws Exception {
        PushContext push = push("accessLogFile: /var/log/legacy.log\n" + PROVIDERS, telemetry("mesh-default",
                "istio-system", "accessLogging: [{providers: [{name: failures}, {name: json}]}]"));
        List<AccessLog> logs = all(push, REVIEWS);
        assertThat(logs).extracting(AccessLogsTest::path).containsOnly("/var/log/failures.log", "/dev/stdout")
                .contains("/var/log/failures.log", "/dev/stdout");
        AccessLog text = logs.stream().filter(l -> file(l).getPath().endsWith("failures.log")).findFirst().orElseThrow();
        assertThat(file(text).getLogFormat().getTextFormatSource().getInlineString())
                .as("Istio ends a text format with a newline").isEqualTo("%RESPONSE_CODE% %REQ(:PATH)%\n");
        AccessLog json = logs.stream().filter(l -> file(l).getPath().equals("/dev/stdout")).findFirst().orElseThrow();
        assertThat(file(json).getLogFormat().getJsonFormat().getFieldsMap()).containsOnlyKeys("code", "path");
    }

    @Test
    void aNamespaceTelemetryTurnsTheMeshsLoggingOffForItsWorkloadsOnly() throws Exception {
        PushContext push = push("", telemetry("mesh-default", "istio-system",
                "accessLogging: [{providers: [{name: envoy}]}]")
                + telemetry("quiet", "default", "accessLogging: [{disabled: true}]"));
        assertThat(all(push, REVIEWS)).isEmpty();
        assertThat(all(push, RATINGS)).isNotEmpty();
    }

    /** As Istio's mergeLogs: a filter belongs to the providers its entry names; an entry naming none sets none. */
    @Test
    void aWorkloadTelemetrySetsAFilterOnTheProvidersItNames() throws Exception {
        String mesh = telemetry("mesh-default", "istio-system", "accessLogging: [{providers: [{name: failures}]}]");
        PushContext push = push(PROVIDERS, mesh + telemetry("reviews-errors", "default", """
                selector: {matchLabels: {app: reviews}}
                accessLogging: [{providers: [{name: failures}], filter: {expression: "response.code >= 400"}}]"""));
        assertThat(all(push, REVIEWS)).isNotEmpty().allSatisfy(log -> {
            assertThat(path(log)).isEqualTo("/var/log/failures.log");
            assertThat(expression(log)).isEqualTo("response.code >= 400");
        });
        assertThat(all(push, RATINGS)).isNotEmpty().allSatisfy(log -> assertThat(log.hasFilter()).isFalse());

        PushContext unnamed = push(PROVIDERS, mesh + telemetry("reviews-errors", "default", """
                selector: {matchLabels: {app: reviews}}
                accessLogging: [{filter: {expression: "response.code >= 400"}}]"""));
        assertThat(all(unnamed, REVIEWS)).isNotEmpty().allSatisfy(log -> assertThat(log.hasFilter()).isFalse());
    }

    /** weft-proxy takes what weftd sends: the file logs compile, each behind the Telemetry's CEL expression. */
    @Test
    void weftProxyCompilesTheGeneratedFilteredLogs() throws Exception {
        PushContext push = push(PROVIDERS, telemetry("mesh-errors", "istio-system", """
                accessLogging: [{providers: [{name: failures}, {name: json}], filter: {expression: "response.code >= 500"}}]"""));
        List<AccessLogger> loggers = new AccessLogCompiler(path -> line -> { }).compile(all(push, REVIEWS));
        assertThat(loggers).isNotEmpty().allSatisfy(logger -> assertThat(logger.filter())
                .isInstanceOf(CelExpression.class).hasToString("response.code >= 500"));
    }

    @Test
    void aNarrowerLevelTurnsLoggingBackOnAndNamesOtherProviders() throws Exception {
        PushContext push = push(PROVIDERS, telemetry("mesh-off", "istio-system",
                "accessLogging: [{providers: [{name: envoy}], disabled: true}]")
                + telemetry("reviews-on", "default", """
                        selector: {matchLabels: {app: reviews}}
                        accessLogging: [{providers: [{name: json}], filter: {expression: "response.code == 503"}}]"""));
        assertThat(all(push, RATINGS)).isEmpty();
        assertThat(all(push, REVIEWS)).isNotEmpty().allSatisfy(log -> {
            assertThat(file(log).getLogFormat().getJsonFormat().getFieldsMap()).containsOnlyKeys("code", "path");
            assertThat(expression(log)).isEqualTo("response.code == 503");
        });
    }

    /** CLIENT is a sidecar's outbound listeners and a gateway's, SERVER a sidecar's inbound ones (Istio's modes). */
    @Test
    void theMatchModeChoosesTheDirection() throws Exception {
        PushContext server = push("", telemetry("mesh-default", "istio-system",
                "accessLogging: [{match: {mode: SERVER}, providers: [{name: envoy}]}]"));
        assertThat(logs(server, REVIEWS)).allSatisfy((listener, logs) ->
                assertThat(logs.isEmpty()).as(listener).isEqualTo(!listener.equals("virtualInbound")));
        assertThat(all(server, GATEWAY)).isEmpty();

        PushContext client = push("", telemetry("mesh-default", "istio-system",
                "accessLogging: [{match: {mode: CLIENT}, providers: [{name: envoy}]}]"));
        assertThat(logs(client, REVIEWS)).allSatisfy((listener, logs) ->
                assertThat(logs.isEmpty()).as(listener).isEqualTo(listener.equals("virtualInbound")));
        assertThat(all(client, GATEWAY)).isNotEmpty();
    }

    @Test
    void defaultProvidersLogWithoutAnyTelemetryUntilOneTurnsThemOff() throws Exception {
        String mesh = PROVIDERS + "defaultProviders: {accessLogging: [failures]}\n";
        assertThat(all(push(mesh, ""), REVIEWS)).isNotEmpty()
                .allSatisfy(log -> assertThat(path(log)).isEqualTo("/var/log/failures.log"));
        PushContext off = push(mesh, telemetry("quiet", "default", "accessLogging: [{disabled: true}]"));
        assertThat(all(off, REVIEWS)).isEmpty();
        assertThat(all(off, RATINGS)).isNotEmpty();
    }

    @Test
    void providersThatAreNoFileAccessLogWriteNothing() throws Exception {
        PushContext push = push("", telemetry("mesh-default", "istio-system",
                "accessLogging: [{providers: [{name: otel}]}]"));
        assertThat(all(push, REVIEWS)).isEmpty();
    }

    @Test
    void meshSettingsKeepTheBuiltInEnvoyProviderUnlessMeshConfigRedefinesIt() {
        assertThat(PushFixture.mesh("").accessLogProviders().file("ENVOY").orElseThrow().path())
                .isEqualTo("/dev/stdout");
        MeshSettings redefined = PushFixture.mesh("""
                extensionProviders:
                - name: envoy
                  envoyFileAccessLog: {path: /var/log/envoy.log}
                """);
        assertThat(redefined.accessLogProviders().file("envoy").orElseThrow().path()).isEqualTo("/var/log/envoy.log");
        assertThat(redefined.extensionProviders()).as("file access logs are no authorizers").isEmpty();
    }
}
