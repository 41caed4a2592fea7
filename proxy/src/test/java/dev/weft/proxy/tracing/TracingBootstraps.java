package dev.weft.proxy.tracing;

import dev.weft.proxy.Bootstraps;
import dev.weft.testing.Template;
import java.util.Map;

/**
 * A proxy with one traced HTTP listener named "ingress" whose traffic goes to cluster "next", and a "collector"
 * cluster: the sidecar of {@code service} as Istio configures it, on the given side of its workload.
 */
final class TracingBootstraps {

    private static final String BOOTSTRAP = """
            node: { id: "${node}", cluster: "${service}.default", locality: { zone: zone-a } }
            static_resources:
              listeners:
              - name: ingress
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                traffic_direction: ${direction}
                filter_chains:
                - filters:
                  - name: envoy.filters.network.http_connection_manager
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: ingress_http
                      tracing:
                        provider:
            ${provider}
                        random_sampling: { value: ${sampling} }
                        client_sampling: { value: 100 }
                        overall_sampling: { value: 100 }
                        custom_tags:
                        - tag: istio.canonical_service
                          literal: { value: ${service} }
                        - tag: from_env
                          environment: { name: WEFT_TRACING_TEST_UNSET, default_value: env-default }
                        - tag: from_header
                          request_header: { name: X-Tag, default_value: header-default }
                      route_config:
                        name: local
                        virtual_hosts:
                        - name: all
                          domains: ["*"]
                          routes:
                          - match: { prefix: "/" }
                            route: { cluster: next }
                      http_filters:
                      - name: envoy.filters.http.router
                        typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
              clusters:
              - name: next
                connect_timeout: 1s
                type: STATIC
                load_assignment:
                  cluster_name: next
                  endpoints:
                  - lb_endpoints:
                    - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${next} } } }
              - name: collector
                connect_timeout: 1s
                type: STATIC
                load_assignment:
                  cluster_name: collector
                  endpoints:
                  - lb_endpoints:
                    - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${collector} } } }
            """;

    /** Zipkin, as Istio configures it. */
    static final String ZIPKIN = """
                          name: envoy.tracers.zipkin
                          typed_config:
                            "@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig
                            collector_cluster: collector
                            collector_endpoint: /api/v2/spans
                            collector_endpoint_version: HTTP_JSON
                            trace_id_128bit: true
                            shared_span_context: false""";

    /** OpenTelemetry over gRPC, as Istio configures it by default. */
    static final String OTEL_GRPC = """
                          name: envoy.tracers.opentelemetry
                          typed_config:
                            "@type": type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig
                            grpc_service:
                              envoy_grpc: { cluster_name: collector, authority: otel.observability.svc.cluster.local }
                              timeout: 2s
                            service_name: ratings.default""";

    /** OpenTelemetry over HTTP (Istio's {@code http} settings). */
    static final String OTEL_HTTP = """
                          name: envoy.tracers.opentelemetry
                          typed_config:
                            "@type": type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig
                            http_service:
                              http_uri: { uri: "otel.observability.svc.cluster.local:4318/v1/traces", cluster: collector, timeout: 2s }
                            service_name: ratings.default""";

    private TracingBootstraps() {
    }

    /**
     * @param direction INBOUND (SERVER spans) or OUTBOUND (CLIENT spans)
     * @param sampling random_sampling in percent
     */
    static String sidecar(String service, String direction, double sampling, int nextPort, int zipkinPort) {
        return sidecar(service, direction, sampling, nextPort, ZIPKIN, zipkinPort);
    }

    /** @param provider one of the providers above */
    static String sidecar(String service, String direction, double sampling, int nextPort, String provider,
            int collectorPort) {
        return Template.of(BOOTSTRAP).render(Map.of("node", "sidecar~127.0.0.1~" + service + ".default~default.svc.cluster.local",
                "service", service, "direction", direction, "sampling", sampling, "next", nextPort,
                "provider", Bootstraps.indent(provider, 14).stripTrailing(), "collector", collectorPort));
    }
}
