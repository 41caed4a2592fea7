package dev.weft.xds.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.http.HttpConnectionManagerCompiler;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.tracing.SpanKind;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tracing weftd writes into a sidecar's connection managers, from mesh config and Telemetry levels. */
class ProxyTracingTest {

    private static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: bookinfo}
            spec:
              selector: {app: ratings}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: zipkin, namespace: istio-system}
            spec:
              selector: {app: zipkin}
              ports: [{name: http-query, port: 9411}]
            """;

    private static final String ZIPKIN_PROVIDER = """
            extensionProviders:
            - name: zipkin
              zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411, maxTagLength: 99}
            - name: elsewhere
              zipkin: {service: nowhere.example.com, port: 9411}
            - name: otel-grpc
              opentelemetry: {service: istio-system/zipkin.istio-system.svc.cluster.local, port: 4317}
            - name: otel-http
              opentelemetry:
                service: zipkin.istio-system.svc.cluster.local
                port: 4318
                maxTagLength: 64
                http: {path: v1/traces, timeout: 3s}
            """;

    private static PushContext push(String meshConfig, String telemetry) {
        LoadResult loaded = new ConfigLoader().loadString(SERVICES + "---\n" + telemetry, "test.yaml");
        assertThat(loaded.errors()).isEmpty();
        MeshConfigLoader.Result mesh = new MeshConfigLoader().loadString(meshConfig, "mesh.yaml");
        assertThat(mesh.findings()).isEmpty();
        return new PushContext(loaded.snapshot(), ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"),
                MeshSettings.of(mesh.config().orElseThrow(), "cluster.local"));
    }

    /** A reviews v1 sidecar under capture. */
    private static ProxyNode reviewsSidecar() {
        Struct labels = Struct.newBuilder()
                .putFields("app", Value.newBuilder().setStringValue("reviews").build())
                .putFields("version", Value.newBuilder().setStringValue("v1").build()).build();
        return ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.9~reviews-v1-5d8f.bookinfo~bookinfo.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
                .build());
    }

    /** Each connection manager's tracing (or empty), by listener name and traffic direction. */
    private static Map<String, Optional<HttpConnectionManager.Tracing>> tracings(PushContext push) {
        Map<String, Optional<HttpConnectionManager.Tracing>> byListener = new TreeMap<>();
        for (Listener l : ListenerGenerator.generate(push, reviewsSidecar())) {
            Stream.concat(l.getFilterChainsList().stream(), Stream.of(l.getDefaultFilterChain()))
                    .map(FilterChain::getFiltersList).flatMap(List::stream)
                    .filter(f -> f.getTypedConfig().is(HttpConnectionManager.class))
                    .forEach(f -> byListener.put(l.getName() + "/" + l.getTrafficDirection(),
                            Optional.of(unpack(f.getTypedConfig())).filter(HttpConnectionManager::hasTracing)
                                    .map(HttpConnectionManager::getTracing)));
        }
        return byListener;
    }

    private static HttpConnectionManager unpack(com.google.protobuf.Any any) {
        try {
            return any.unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> literalTags(HttpConnectionManager.Tracing tracing) {
        Map<String, String> tags = new TreeMap<>();
        for (CustomTag tag : tracing.getCustomTagsList()) {
            tags.put(tag.getTag(), switch (tag.getTypeCase()) {
                case LITERAL -> tag.getLiteral().getValue();
                case ENVIRONMENT -> "env:" + tag.getEnvironment().getName() + "|" + tag.getEnvironment().getDefaultValue();
                case REQUEST_HEADER -> "header:" + tag.getRequestHeader().getName();
                default -> throw new AssertionError(tag);
            });
        }
        return tags;
    }

    @Test
    void withoutTelemetryOrDefaultProviderNothingIsTraced() {
        Map<String, Optional<HttpConnectionManager.Tracing>> tracings = tracings(push(ZIPKIN_PROVIDER, ""));

        assertThat(tracings).isNotEmpty().allSatisfy((listener, tracing) -> assertThat(tracing).isEmpty());
        assertThat(tracings.keySet()).allMatch(name -> name.endsWith("/UNSPECIFIED"));
    }

    @Test
    void aDefaultProviderTracesEveryConnectionManagerAsIstioDoes() throws Exception {
        Map<String, Optional<HttpConnectionManager.Tracing>> tracings = tracings(push(ZIPKIN_PROVIDER + """
                defaultProviders: {tracing: [zipkin]}
                """, ""));

        assertThat(tracings).containsKeys("virtualInbound/INBOUND", "0.0.0.0_9080/OUTBOUND");
        assertThat(tracings).allSatisfy((listener, tracing) -> assertThat(tracing).isPresent());
        HttpConnectionManager.Tracing inbound = tracings.get("virtualInbound/INBOUND").orElseThrow();
        assertThat(inbound.getProvider().getName()).isEqualTo("envoy.tracers.zipkin");
        ZipkinConfig zipkin = inbound.getProvider().getTypedConfig().unpack(ZipkinConfig.class);
        assertThat(zipkin.getCollectorCluster()).isEqualTo("outbound|9411||zipkin.istio-system.svc.cluster.local");
        assertThat(zipkin.getCollectorEndpoint()).isEqualTo("/api/v2/spans");
        assertThat(zipkin.getCollectorEndpointVersion()).isEqualTo(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON);
        assertThat(zipkin.getCollectorHostname()).isEqualTo("zipkin.istio-system.svc.cluster.local");
        assertThat(zipkin.getTraceId128Bit()).isTrue();
        assertThat(zipkin.getSharedSpanContext().getValue()).isFalse();
        assertThat(inbound.getRandomSampling().getValue()).isEqualTo(1.0);
        assertThat(inbound.getClientSampling().getValue()).isEqualTo(100);
        assertThat(inbound.getOverallSampling().getValue()).isEqualTo(100);
        assertThat(inbound.getSpawnUpstreamSpan().getValue()).isFalse();
        assertThat(inbound.getMaxPathTagLength().getValue()).isEqualTo(99);
        assertThat(literalTags(inbound)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "istio.canonical_revision", "v1", "istio.canonical_service", "reviews",
                "istio.mesh_id", "cluster.local", "istio.namespace", "bookinfo")));
        assertThat(tracings.get("0.0.0.0_9080/OUTBOUND")).contains(inbound);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "otel-grpc", "otel-http"})
    void weftProxyMakesServerSpansInboundAndClientSpansOutbound(String provider) {
        PushContext push = push(ZIPKIN_PROVIDER + "defaultProviders: {tracing: [" + provider + "]}\n", "");
        HttpConnectionManagerCompiler compiler = new HttpConnectionManagerCompiler(ProxyOptions.defaultFilters(),
                prefix -> new FilterContext(Ticker.SYSTEM, SplittableRandom::new, new Stats(), prefix),
                path -> {
                    throw new AssertionError("no access log files");
                });
        Map<String, SpanKind> kinds = new TreeMap<>();
        for (Listener l : ListenerGenerator.generate(push, reviewsSidecar())) {
            l.getFilterChainsList().stream().map(FilterChain::getFiltersList).flatMap(List::stream)
                    .filter(f -> f.getTypedConfig().is(HttpConnectionManager.class))
                    .forEach(f -> kinds.put(l.getName(), compiler.compile(unpack(f.getTypedConfig()),
                            l.getTrafficDirection()).tracer().kind()));
        }

        assertThat(kinds).containsEntry("virtualInbound", SpanKind.SERVER).containsEntry("0.0.0.0_9080", SpanKind.CLIENT);
    }

    @Test
    void theProxyConfigsSamplingIsTheDefault() {
        HttpConnectionManager.Tracing tracing = tracings(push(ZIPKIN_PROVIDER + """
                defaultProviders: {tracing: [zipkin]}
                defaultConfig: {tracing: {sampling: 12.5}}
                """, "")).get("virtualInbound/INBOUND").orElseThrow();

        assertThat(tracing.getRandomSampling().getValue()).isEqualTo(12.5);
    }

    @Test
    void telemetryLevelsMergeWidestFirstPerDirection() {
        String telemetry = """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default, namespace: istio-system}
                spec:
                  tracing:
                  - providers: [{name: zipkin}]
                    randomSamplingPercentage: 100
                    customTags:
                      cluster: {literal: {value: east}}
                      user: {header: {name: x-user, defaultValue: anonymous}}
                ---
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: bookinfo, namespace: bookinfo}
                spec:
                  tracing:
                  - randomSamplingPercentage: 50
                    customTags:
                      cluster: {literal: {value: west}}
                      pod: {environment: {name: POD_NAME, defaultValue: unknown}}
                ---
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  selector: {matchLabels: {app: reviews}}
                  tracing:
                  - match: {mode: SERVER}
                    disableSpanReporting: true
                """;
        Map<String, Optional<HttpConnectionManager.Tracing>> tracings = tracings(push(ZIPKIN_PROVIDER, telemetry));

        assertThat(tracings.get("virtualInbound/UNSPECIFIED")).isEmpty();
        HttpConnectionManager.Tracing outbound = tracings.get("0.0.0.0_9080/OUTBOUND").orElseThrow();
        assertThat(outbound.getRandomSampling().getValue()).isEqualTo(50);
        assertThat(literalTags(outbound)).containsEntry("cluster", "west")
                .containsEntry("user", "header:x-user")
                .containsEntry("pod", "env:POD_NAME|unknown")
                .containsEntry("istio.canonical_service", "reviews");
        assertThat(outbound.getCustomTagsList()).map(CustomTag::getTag).isSorted();
    }

    @Test
    void openTelemetryProvidersExportOverGrpcOrHttp() throws Exception {
        HttpConnectionManager.Tracing grpc = tracings(push(ZIPKIN_PROVIDER, """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default, namespace: istio-system}
                spec:
                  tracing: [{providers: [{name: otel-grpc}]}]
                """)).get("virtualInbound/INBOUND").orElseThrow();
        assertThat(grpc.getProvider().getName()).isEqualTo("envoy.tracers.opentelemetry");
        OpenTelemetryConfig overGrpc = grpc.getProvider().getTypedConfig().unpack(OpenTelemetryConfig.class);
        assertThat(overGrpc.getGrpcService().getEnvoyGrpc().getClusterName())
                .isEqualTo("outbound|4317||zipkin.istio-system.svc.cluster.local");
        assertThat(overGrpc.getGrpcService().getEnvoyGrpc().getAuthority())
                .isEqualTo("zipkin.istio-system.svc.cluster.local");
        assertThat(overGrpc.getServiceName()).isEqualTo("reviews.bookinfo");
        assertThat(grpc.getRandomSampling().getValue()).isEqualTo(1.0);

        HttpConnectionManager.Tracing http = tracings(push(ZIPKIN_PROVIDER + """
                defaultProviders: {tracing: [otel-http]}
                """, "")).get("0.0.0.0_9080/OUTBOUND").orElseThrow();
        OpenTelemetryConfig overHttp = http.getProvider().getTypedConfig().unpack(OpenTelemetryConfig.class);
        assertThat(overHttp.hasGrpcService()).isFalse();
        assertThat(overHttp.getHttpService().getHttpUri().getUri())
                .isEqualTo("zipkin.istio-system.svc.cluster.local/v1/traces");
        assertThat(overHttp.getHttpService().getHttpUri().getCluster())
                .isEqualTo("outbound|4318||zipkin.istio-system.svc.cluster.local");
        assertThat(overHttp.getHttpService().getHttpUri().getTimeout().getSeconds()).isEqualTo(3);
        assertThat(http.getMaxPathTagLength().getValue()).isEqualTo(64);
    }

    @Test
    void aProviderWhoseServiceIsNotInTheRegistryTracesNothing() {
        Map<String, Optional<HttpConnectionManager.Tracing>> tracings = tracings(push(ZIPKIN_PROVIDER + """
                defaultProviders: {tracing: [elsewhere]}
                """, ""));

        assertThat(tracings).allSatisfy((listener, tracing) -> assertThat(tracing).isEmpty());
        assertThat(ProxyTracing.of(push(ZIPKIN_PROVIDER, ""), reviewsSidecar()).forDirection(TrafficDirection.OUTBOUND))
                .isEmpty();
    }
}
