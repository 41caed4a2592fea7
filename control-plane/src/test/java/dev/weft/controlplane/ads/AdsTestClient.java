package dev.weft.controlplane.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/** A real gRPC ADS client over loopback, recording what the server sends. */
final class AdsTestClient implements AutoCloseable {

    static final Node SIDECAR = Node.newBuilder()
            .setId("sidecar~127.0.0.1~reviews-v1-abc.default~default.svc.cluster.local")
            .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder()
                    .setStructValue(Struct.newBuilder().putFields("app", Value.newBuilder().setStringValue("reviews").build()))
                    .build()))
            .build();

    private final ManagedChannel channel;
    final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final BlockingQueue<DeltaDiscoveryResponse> deltaResponses = new LinkedBlockingQueue<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    private StreamObserver<DiscoveryRequest> requests;
    private StreamObserver<DeltaDiscoveryRequest> deltaRequests;

    AdsTestClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    AdsTestClient openSotw() {
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(recorder(responses));
        return this;
    }

    AdsTestClient openDelta() {
        deltaRequests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(recorder(deltaResponses));
        return this;
    }

    private <T> StreamObserver<T> recorder(BlockingQueue<T> queue) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                queue.add(value);
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    void send(DiscoveryRequest request) {
        requests.onNext(request);
    }

    void send(DeltaDiscoveryRequest request) {
        deltaRequests.onNext(request);
    }

    DiscoveryResponse next() throws InterruptedException {
        DiscoveryResponse response = responses.poll(5, TimeUnit.SECONDS);
        assertThat(response).as("a response within 5s").isNotNull();
        return response;
    }

    DeltaDiscoveryResponse nextDelta() throws InterruptedException {
        DeltaDiscoveryResponse response = deltaResponses.poll(5, TimeUnit.SECONDS);
        assertThat(response).as("a delta response within 5s").isNotNull();
        return response;
    }

    Throwable awaitError() {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> error.get() != null);
        return error.get();
    }

    void closeStream() {
        if (requests != null) {
            requests.onCompleted();
        }
        if (deltaRequests != null) {
            deltaRequests.onCompleted();
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
