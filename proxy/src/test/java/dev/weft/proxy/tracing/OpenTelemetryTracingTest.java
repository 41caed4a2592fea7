package dev.weft.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.RecordedRequest;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's OpenTelemetry tracer in weft-proxy: W3C trace context only, spans exported as OTLP to a gRPC receiver
 * (grpc-java's, implementing the OTLP TraceService) or POSTed as protobuf to an HTTP one.
 */
class OpenTelemetryTracingTest {

    private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";

    private final FakeHttpUpstream app = FakeHttpUpstream.start("ratings");
    private final ConcurrentLinkedQueue<ExportTraceServiceRequest> exported = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> authorities = new ConcurrentLinkedQueue<>();
    private Server receiver;
    private FakeHttpUpstream httpReceiver;
    private ProxyHarness proxy;

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        if (receiver != null) {
            receiver.shutdownNow();
        }
        if (httpReceiver != null) {
            httpReceiver.close();
        }
        app.close();
    }

    private int startGrpcReceiver() throws IOException {
        TraceServiceGrpc.TraceServiceImplBase service = new TraceServiceGrpc.TraceServiceImplBase() {
            @Override
            public void export(ExportTraceServiceRequest request,
                    StreamObserver<ExportTraceServiceResponse> response) {
                exported.add(request);
                response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                response.onCompleted();
            }
        };
        ServerInterceptor authority = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                authorities.add(call.getAuthority());
                return next.startCall(call, headers);
            }
        };
        receiver = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                InsecureServerCredentials.create()).addService(ServerInterceptors.intercept(service, authority))
                .build().start();
        return receiver.getPort();
    }

    private RecordedRequest callThroughProxy(String provider, int collectorPort) {
        proxy = ProxyHarness.start(TracingBootstraps.sidecar("ratings", "INBOUND", 100, app.port(), provider,
                collectorPort));
        assertThat(proxy.get("/ratings/0", "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01",
                "tracestate", "vendor=x").statusCode()).isEqualTo(200);
        return app.requests().getLast();
    }

    @Test
    void exportsAServerSpanOverGrpcAndPropagatesW3cOnly() throws IOException {
        RecordedRequest upstream = callThroughProxy(TracingBootstraps.OTEL_GRPC, startGrpcReceiver());

        assertThat(upstream.header("traceparent")).matches("00-" + CALLER_TRACE + "-[0-9a-f]{16}-01");
        assertThat(upstream.header("tracestate")).isEqualTo("vendor=x");
        assertThat(upstream.header("x-b3-traceid")).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> !exported.isEmpty());
        ResourceSpans resource = exported.peek().getResourceSpans(0);
        assertThat(attributes(resource.getResource().getAttributesList())).containsEntry("service.name",
                "ratings.default");
        Span span = resource.getScopeSpans(0).getSpans(0);
        assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo(CALLER_TRACE);
        assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo(CALLER_SPAN);
        assertThat(upstream.header("traceparent")).contains(HexFormat.of().formatHex(span.getSpanId().toByteArray()));
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getName()).isEqualTo("ingress");
        assertThat(span.getEndTimeUnixNano()).isGreaterThan(span.getStartTimeUnixNano());
        assertThat(attributes(span.getAttributesList())).containsEntry("http.status_code", "200")
                .containsEntry("istio.canonical_service", "ratings").containsEntry("upstream_cluster", "next");
        assertThat(authorities).contains("otel.observability.svc.cluster.local");
    }

    @Test
    void exportsOtlpProtobufOverHttp() {
        httpReceiver = FakeHttpUpstream.start("otel");
        callThroughProxy(TracingBootstraps.OTEL_HTTP, httpReceiver.port());

        await().atMost(Duration.ofSeconds(10)).until(() -> httpReceiver.requestCount() > 0);
        RecordedRequest post = httpReceiver.requests().getFirst();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.uri()).isEqualTo("/v1/traces");
        assertThat(post.header("content-type")).isEqualTo("application/x-protobuf");
        ExportTraceServiceRequest request = parse(post.body());
        Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo(CALLER_TRACE);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    }

    private static ExportTraceServiceRequest parse(byte[] body) {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (IOException e) {
            throw new AssertionError("not an OTLP export request", e);
        }
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    }
}
