package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real grpc-java client and server on both sides of the proxy. */
class GrpcIntegrationTest {

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("test.Echo/Say")
            .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    private static final MethodDescriptor<String, String> COUNT = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName("test.Echo/Count")
            .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

    private final AtomicInteger calls = new AtomicInteger();
    private Server server;
    private ManagedChannel channel;
    private ProxyHarness proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (proxy != null) {
            proxy.close();
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private void start(String routeExtras) throws IOException {
        start(routeExtras, "");
    }

    /** {@code filters}: HTTP filters ahead of the router, YAML indented for their place, or "". */
    private void start(String routeExtras, String filters) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, observer) -> {
                    int n = calls.incrementAndGet();
                    switch (request) {
                        case "missing" -> observer.onError(Status.NOT_FOUND.withDescription("no such thing").asRuntimeException());
                        case "flaky" -> {
                            if (n == 1) {
                                observer.onError(Status.UNAVAILABLE.asRuntimeException());
                            } else {
                                observer.onNext("recovered");
                                observer.onCompleted();
                            }
                        }
                        case "slow" -> {
                            try {
                                Thread.sleep(2000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            observer.onNext("late");
                            observer.onCompleted();
                        }
                        default -> {
                            observer.onNext("hello " + request);
                            observer.onCompleted();
                        }
                    }
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, observer) -> {
                    for (int i = 1; i <= Integer.parseInt(request); i++) {
                        observer.onNext("n" + i);
                    }
                    observer.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route:
                    cluster: grpc
                """ + Bootstraps.indent(routeExtras, 4)), filters, Bootstraps.staticCluster("grpc", "ROUND_ROBIN",
                "http2_protocol_options: {}\n", server.getPort())));
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", proxy.port(), InsecureChannelCredentials.create()).build();
    }

    private String say(String text) {
        return ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), text);
    }

    @Test
    void unaryCallThroughTheProxy() throws IOException {
        start("");
        assertThat(say("weft")).isEqualTo("hello weft");
    }

    @Test
    void grpcStatusAndMessageArriveInTrailers() throws IOException {
        start("");
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> say("missing"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).isEqualTo("no such thing");
    }

    @Test
    void istiosMetricsCountGrpcMessagesEachWayAndTheGrpcStatus() throws IOException {
        start("", Bootstraps.indent("""
                - name: istio.stats
                  typed_config:
                    "@type": type.googleapis.com/xds.type.v3.TypedStruct
                    type_url: type.googleapis.com/stats.PluginConfig
                    value: { reporter: source }
                """, 10));
        ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT.withDeadlineAfter(10,
                TimeUnit.SECONDS), "4").forEachRemaining(m -> { });
        assertThat(say("weft")).isEqualTo("hello weft");

        String text = proxy.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + proxy.server().adminPort() + "/stats/prometheus")).build()).body();
        assertThat(text).containsPattern("istio_requests_total\\{[^}]*request_protocol=\"grpc\",response_code=\"200\","
                + "grpc_response_status=\"0\"[^}]*} 2\n")
                .containsPattern("istio_request_messages_total\\{[^}]*} 2\n")
                .containsPattern("istio_response_messages_total\\{[^}]*} 5\n");
    }

    @Test
    void serverStreamingDeliversEveryMessage() throws IOException {
        start("");
        Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, COUNT,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "5");
        List<String> got = new ArrayList<>();
        it.forEachRemaining(got::add);
        assertThat(got).containsExactly("n1", "n2", "n3", "n4", "n5");
    }

    @Test
    void routeTimeoutBecomesDeadlineExceeded() throws IOException {
        start("timeout: 0.2s");
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> say("slow"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void retriesUnavailable() throws IOException {
        start("retry_policy: { retry_on: unavailable, num_retries: 2, retry_back_off: { base_interval: 0.001s } }");
        assertThat(say("flaky")).isEqualTo("recovered");
        assertThat(calls.get()).isEqualTo(2);
    }
}
