package dev.weft.controlplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.xds.XdsNameResolverProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client nobody here wrote: grpc-java's own xDS implementation resolves
 * {@code xds:///reviews.default.svc.cluster.local:9080} against weftd and must follow our VirtualService.
 * The two backends are gRPC health services that answer SERVING (v1) and NOT_SERVING (v2), so every
 * answer says which subset served it.
 */
class GrpcXdsInteropTest {

    private static final String SCHEME = "weft-xds-interop";
    private static final int CALLS = 300;

    @TempDir
    Path configDir;

    private Server v1;
    private Server v2;
    private Weftd weftd;
    private XdsNameResolverProvider resolver;
    private ManagedChannel channel;

    private static Server backend(ServingStatus status) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
                        response.onNext(HealthCheckResponse.newBuilder().setStatus(status).build());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
    }

    private static String config(int v1Port, int v2Port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: reviews, namespace: default}
                spec:
                  selector: {app: reviews}
                  ports: [{name: grpc, port: 9080}]
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: reviews-v1, namespace: default}
                spec:
                  address: 127.0.0.1
                  ports: {grpc: %d}
                  labels: {app: reviews, version: v1}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: reviews-v2, namespace: default}
                spec:
                  address: 127.0.0.1
                  ports: {grpc: %d}
                  labels: {app: reviews, version: v2}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: default}
                spec:
                  host: reviews
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews, subset: v2}}]
                  - match: [{headers: {x-fault: {exact: abort}}}]
                    fault:
                      abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}
                    route: [{destination: {host: reviews, subset: v1}}]
                  - route:
                    - {destination: {host: reviews, subset: v1}, weight: 80}
                    - {destination: {host: reviews, subset: v2}, weight: 20}
                """.formatted(v1Port, v2Port);
    }

    @BeforeEach
    void start() throws Exception {
        v1 = backend(ServingStatus.SERVING);
        v2 = backend(ServingStatus.NOT_SERVING);
        Files.writeString(configDir.resolve("reviews.yaml"), config(v1.getPort(), v2.getPort()));
        weftd = Weftd.start(WeftdOptions.defaults().withConfigDir(configDir).withPorts(0, 0)
                .withDebounce(Duration.ofMillis(10), Duration.ofMillis(100)));
        Map<String, ?> bootstrap = Map.of(
                "xds_servers", List.of(Map.of(
                        "server_uri", "127.0.0.1:" + weftd.xdsPort(),
                        "channel_creds", List.of(Map.of("type", "insecure")),
                        "server_features", List.of("xds_v3"))),
                "node", Map.of(
                        "id", "sidecar~127.0.0.1~grpc-client.default~default.svc.cluster.local",
                        "metadata", Map.of("GENERATOR", "grpc")));
        resolver = XdsNameResolverProvider.createForTest(SCHEME, bootstrap);
        NameResolverRegistry.getDefaultRegistry().register(resolver);
        channel = Grpc.newChannelBuilder(SCHEME + ":///reviews.default.svc.cluster.local:9080",
                InsecureChannelCredentials.create()).build();
        // The first resolution loads grpc-xds and walks LDS, RDS, CDS and EDS on a cold JVM: on a loaded machine
        // that alone can pass a call's 10 s deadline, so it gets its own generous bound.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(StatusRuntimeException.class)
                .until(() -> call(Map.of()) != null);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        NameResolverRegistry.getDefaultRegistry().deregister(resolver);
        weftd.close();
        v1.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        v2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private HealthGrpc.HealthBlockingStub stub(Map<String, String> headers) {
        Metadata metadata = new Metadata();
        headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        return HealthGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private ServingStatus call(Map<String, String> headers) {
        return stub(headers).check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    @Test
    void weightedSplitFollowsTheVirtualService() {
        int toV2 = 0;
        for (int i = 0; i < CALLS; i++) {
            if (call(Map.of()) == ServingStatus.NOT_SERVING) {
                toV2++;
            }
        }
        // 20% of 300 is 60, standard deviation about 7: accept five deviations either side.
        assertThat(toV2).isBetween(25, 95);
    }

    @Test
    void headerMatchRoutesToItsSubset() {
        for (int i = 0; i < 20; i++) {
            assertThat(call(Map.of("end-user", "jason"))).isEqualTo(ServingStatus.NOT_SERVING);
        }
    }

    @Test
    void faultInjectionAbortsWithTheConfiguredGrpcStatus() {
        assertThat(call(Map.of())).isNotNull();

        assertThatThrownBy(() -> call(Map.of("x-fault", "abort")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
}
