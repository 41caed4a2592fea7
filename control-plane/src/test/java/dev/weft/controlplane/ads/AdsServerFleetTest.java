package dev.weft.controlplane.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.push.PushRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many real ADS streams on a server with two gRPC threads and two workers, and one proxy that stops reading. */
class AdsServerFleetTest {

    private static final int FLEET = 300;
    private static final int STREAMS_PER_CHANNEL = 100;

    private final MapResourceGenerator generator = new MapResourceGenerator();
    private final ExecutorService grpcCalls = Executors.newFixedThreadPool(2);
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final List<ManagedChannel> channels = new ArrayList<>();
    private AdsServer ads;
    private Server server;

    @BeforeEach
    void start() throws IOException {
        ads = new AdsServer(generator, ProxyLifecycle.NONE, workers);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).executor(grpcCalls)
                .addService(ads).build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        grpcCalls.shutdownNow();
        workers.shutdownNow();
    }

    private ManagedChannel channel(NettyChannelBuilder builder) {
        ManagedChannel channel = builder.usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private static Node node(int index) {
        return Node.newBuilder().setId("sidecar~10.0." + (index >> 8) + "." + (index & 0xff) + "~app-" + index
                        + ".default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("app", Value.newBuilder().setStringValue("app-" + index % 6).build())).build()).build())
                .build();
    }

    @Test
    void everyOneOfManyConcurrentStreamsSyncsAndGetsThePush() {
        generator.clusters("a");
        List<AckingProxy> fleet = new ArrayList<>();
        for (int i = 0; i < FLEET; i++) {
            if (i % STREAMS_PER_CHANNEL == 0) {
                channel(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()));
            }
            fleet.add(new AckingProxy(channels.getLast(), node(i), XdsType.CLUSTER));
        }
        String initial = Long.toString(ads.currentVersion());
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stream().allMatch(p -> p.lastVersion.equals(initial)));

        generator.clusters("a", "b");
        ads.push(PushRequest.full("cluster b", Instant.EPOCH));
        String pushed = Long.toString(ads.currentVersion());
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stream().allMatch(p -> p.lastVersion.equals(pushed)));
        await().atMost(Duration.ofSeconds(10)).until(() -> ads.statuses().stream()
                .allMatch(s -> s.type(XdsType.CLUSTER).status() == SyncStatus.SYNCED));

        assertThat(ads.statuses()).hasSize(FLEET);
        assertThat(fleet).allSatisfy(p -> assertThat(p.responses.get()).isEqualTo(2));
    }

    @Test
    void streamsBeyondTheSendBudgetWaitTheirTurnAndEveryOneGetsEveryPush() throws IOException {
        // Responses of about 50 KB against a 120 KB budget: of 60 streams, two at a time may have one queued.
        generator.endpoints(4000, "x", "y");
        AdsServer budgeted = new AdsServer(generator, ProxyLifecycle.NONE, workers, 120 * 1024);
        Server small = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).executor(grpcCalls)
                .addService(budgeted).build().start();
        try {
            ManagedChannel channel = channel(NettyChannelBuilder.forAddress("127.0.0.1", small.getPort()));
            List<AckingProxy> fleet = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                fleet.add(new AckingProxy(channel, node(i), XdsType.ENDPOINT));
            }
            String initial = Long.toString(budgeted.currentVersion());
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stream().allMatch(p -> p.lastVersion.equals(initial)));

            generator.endpoints(4001, "x", "y");
            budgeted.push(PushRequest.endpointsOnly("bigger", Instant.EPOCH));
            String pushed = Long.toString(budgeted.currentVersion());
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stream().allMatch(p -> p.lastVersion.equals(pushed)));

            assertThat(fleet).allSatisfy(p -> assertThat(p.responses.get()).isEqualTo(2));
            SendBudget budget = budgeted.sendBudget();
            assertThat(budget.peak()).as("bytes queued at once").isGreaterThan(40_000).isLessThanOrEqualTo(120 * 1024);
            await().atMost(Duration.ofSeconds(10)).until(() -> budget.inFlight() == 0 && budget.waiting() == 0);
        } finally {
            small.shutdownNow();
        }
    }

    @Test
    void aProxyThatStopsReadingHoldsUpNoOneAndGetsOnlyTheLatestWhenItResumes() {
        // Responses of about 50 KB against a 16 KB flow-control window: the stalled stream fills it at once.
        generator.endpoints(4000, "x", "y");
        StalledProxy stalled = new StalledProxy(channel(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .flowControlWindow(16 * 1024).maxInboundMessageSize(64 * 1024 * 1024)), node(1000));
        AckingProxy healthy = new AckingProxy(channel(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .maxInboundMessageSize(64 * 1024 * 1024)), node(1001), XdsType.ENDPOINT);
        await().atMost(Duration.ofSeconds(10)).until(() -> !healthy.lastVersion.isEmpty());

        int pushes = 30;
        for (int i = 1; i <= pushes; i++) {
            generator.endpoints(4000 + i, "x", "y");
            ads.push(PushRequest.endpointsOnly("push " + i, Instant.EPOCH));
            String version = Long.toString(ads.currentVersion());
            await().atMost(Duration.ofSeconds(10)).until(() -> healthy.lastVersion.equals(version));
        }
        assertThat(healthy.responses.get()).isEqualTo(pushes + 1);

        stalled.resume();
        String latest = Long.toString(ads.currentVersion());
        await().atMost(Duration.ofSeconds(20)).until(() -> stalled.lastVersion.equals(latest));
        assertThat(stalled.responses.get()).as("responses the stalled proxy got for %d pushes", pushes)
                .isBetween(1, pushes / 3);
    }

    /** Subscribes to one type with its node and ACKs every response, counting them. */
    private static final class AckingProxy {
        final AtomicInteger responses = new AtomicInteger();
        volatile String lastVersion = "";
        private final StreamObserver<DiscoveryRequest> requests;

        AckingProxy(ManagedChannel channel, Node node, XdsType type) {
            requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
                @Override
                public void onNext(DiscoveryResponse response) {
                    synchronized (AckingProxy.this) {
                        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl())
                                .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
                    }
                    responses.incrementAndGet();
                    lastVersion = response.getVersionInfo();
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            synchronized (this) {
                requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl()).setNode(node).build());
            }
        }
    }

    /** Subscribes to endpoints and then reads nothing until {@link #resume()}, as a hung proxy would. */
    private static final class StalledProxy {
        final AtomicInteger responses = new AtomicInteger();
        volatile String lastVersion = "";
        private volatile ClientCallStreamObserver<DiscoveryRequest> call;

        StalledProxy(ManagedChannel channel, Node node) {
            StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                    .streamAggregatedResources(new ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
                            call = requestStream;
                            requestStream.disableAutoRequestWithInitial(0);
                        }

                        @Override
                        public void onNext(DiscoveryResponse response) {
                            responses.incrementAndGet();
                            lastVersion = response.getVersionInfo();
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(XdsType.ENDPOINT.typeUrl()).setNode(node).build());
        }

        void resume() {
            call.request(Integer.MAX_VALUE);
        }
    }
}
