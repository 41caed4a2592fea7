package dev.weft.controlplane.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Status;
import dev.weft.controlplane.push.PushRequest;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdsServerTest {

    private final MapResourceGenerator generator = new MapResourceGenerator();
    private final List<String> lifecycleEvents = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final AtomicInteger workerTasks = new AtomicInteger();
    private AdsServer ads;
    private Server server;
    private AdsTestClient client;

    @BeforeEach
    void start() throws IOException {
        ads = new AdsServer(generator, new ProxyLifecycle() {
            @Override
            public void connected(ProxyNode proxy) {
                lifecycleEvents.add("connected " + proxy.workloadName());
            }

            @Override
            public void disconnected(ProxyNode proxy) {
                lifecycleEvents.add("disconnected " + proxy.workloadName());
            }
        }, task -> {
            workerTasks.incrementAndGet();
            workers.execute(task);
        });
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads).build().start();
        client = new AdsTestClient(server.getPort());
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    private static DiscoveryRequest request(XdsType type, DiscoveryResponse ackOf, Node node) {
        DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl()).setNode(node);
        if (ackOf != null) {
            b.setVersionInfo(ackOf.getVersionInfo()).setResponseNonce(ackOf.getNonce());
        }
        return b.build();
    }

    private static List<String> clusterNames(DiscoveryResponse response) {
        return response.getResourcesList().stream().map(any -> {
            try {
                return any.unpack(Cluster.class).getName();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private void ackAndAwait(DiscoveryResponse response) {
        XdsType type = XdsType.fromTypeUrl(response.getTypeUrl()).orElseThrow();
        DiscoveryRequest.Builder ack = DiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl())
                .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce());
        if (type == XdsType.ENDPOINT) {
            response.getResourcesList().forEach(any -> ack.addResourceNames(clusterNameOf(any)));
        }
        client.send(ack.build());
        await().atMost(Duration.ofSeconds(5)).until(() ->
                ads.statuses().get(0).type(type).status() == SyncStatus.SYNCED);
    }

    private static String clusterNameOf(com.google.protobuf.Any any) {
        try {
            return any.unpack(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class).getClusterName();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPushThatLeavesAProxysResourcesAsTheyWereDoesNotTouchItsStream() throws Exception {
        generator.clusters("a");
        client.openSotw().send(request(XdsType.CLUSTER, null, AdsTestClient.SIDECAR));
        ackAndAwait(client.next());
        int tasksBefore = workerTasks.get();

        ads.push(PushRequest.full("nothing this proxy holds changed", Instant.EPOCH));
        assertThat(workerTasks.get()).as("work scheduled for the stream").isEqualTo(tasksBefore);
        assertThat(ads.statuses().get(0).sending()).isFalse();

        generator.clusters("a", "b");
        ads.push(PushRequest.full("cluster b", Instant.EPOCH));
        assertThat(clusterNames(client.next())).containsExactly("a", "b");
    }

    @Test
    void stateOfTheWorldSubscribeAckAndPush() throws Exception {
        generator.clusters("a", "b");
        client.openSotw().send(request(XdsType.CLUSTER, null, AdsTestClient.SIDECAR));

        DiscoveryResponse first = client.next();
        assertThat(first.getTypeUrl()).isEqualTo(XdsType.CLUSTER.typeUrl());
        assertThat(clusterNames(first)).containsExactly("a", "b");
        assertThat(ads.statuses().get(0).type(XdsType.CLUSTER).status()).isEqualTo(SyncStatus.STALE);

        client.send(request(XdsType.CLUSTER, first, AdsTestClient.SIDECAR));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                ads.statuses().get(0).type(XdsType.CLUSTER).status() == SyncStatus.SYNCED);
        assertThat(ads.statuses().get(0).type(XdsType.LISTENER).status()).isEqualTo(SyncStatus.NOT_SENT);

        generator.clusters("a", "b", "c");
        ads.push(PushRequest.full("test", Instant.EPOCH));

        DiscoveryResponse second = client.next();
        assertThat(clusterNames(second)).containsExactly("a", "b", "c");
        assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
        assertThat(second.getNonce()).isNotEqualTo(first.getNonce());
    }

    @Test
    void unchangedResourcesAreNotResent() throws Exception {
        generator.clusters("a");
        client.openSotw().send(request(XdsType.CLUSTER, null, AdsTestClient.SIDECAR));
        ackAndAwait(client.next());

        ads.push(PushRequest.full("nothing changed", Instant.EPOCH));
        generator.clusters("z");
        ads.push(PushRequest.full("changed", Instant.EPOCH));

        assertThat(clusterNames(client.next())).containsExactly("z");
        assertThat(client.responses).isEmpty();
    }

    @Test
    void nackIsRecordedWithTheProxyErrorAndTheProxyStaysOnItsAckedVersion() throws Exception {
        generator.clusters("a");
        client.openSotw().send(request(XdsType.CLUSTER, null, AdsTestClient.SIDECAR));
        DiscoveryResponse first = client.next();
        ackAndAwait(first);

        generator.clusters("bad");
        ads.push(PushRequest.full("bad config", Instant.EPOCH));
        DiscoveryResponse rejected = client.next();
        client.send(DiscoveryRequest.newBuilder()
                .setTypeUrl(XdsType.CLUSTER.typeUrl())
                .setVersionInfo(first.getVersionInfo())
                .setResponseNonce(rejected.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage("cluster bad: unknown lb policy"))
                .build());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            TypeStatus status = ads.statuses().get(0).type(XdsType.CLUSTER);
            assertThat(status.status()).isEqualTo(SyncStatus.STALE);
            assertThat(status.nackError()).isEqualTo("cluster bad: unknown lb policy");
            assertThat(status.ackedVersion()).isEqualTo(first.getVersionInfo());
            assertThat(status.sentVersion()).isEqualTo(rejected.getVersionInfo());
        });
        assertThat(client.responses).as("a NACK is not answered with the same config").isEmpty();
    }

    @Test
    void endpointOnlyPushSendsOnlyEndpoints() throws Exception {
        generator.clusters("outbound|9080||reviews");
        generator.endpoints(1, "outbound|9080||reviews");
        client.openSotw().send(request(XdsType.CLUSTER, null, AdsTestClient.SIDECAR));
        ackAndAwait(client.next());
        client.send(DiscoveryRequest.newBuilder().setTypeUrl(XdsType.ENDPOINT.typeUrl())
                .addResourceNames("outbound|9080||reviews").build());
        ackAndAwait(client.next());

        generator.clusters("outbound|9080||reviews", "outbound|9080||ratings");
        generator.endpoints(2, "outbound|9080||reviews", "outbound|9080||ratings");
        ads.push(PushRequest.endpointsOnly("workload moved", Instant.EPOCH));

        DiscoveryResponse eds = client.next();
        assertThat(eds.getTypeUrl()).isEqualTo(XdsType.ENDPOINT.typeUrl());
        assertThat(eds.getResourcesCount()).as("only the subscribed assignment").isEqualTo(1);
        assertThat(client.responses.poll(200, TimeUnit.MILLISECONDS))
                .as("clusters changed too, but an endpoint-only push does not send CDS").isNull();
    }

    @Test
    void anEndpointPushSendsOnlyTheAssignmentsThatChanged() throws Exception {
        generator.endpoints(1, "a", "b", "c");
        client.openSotw().send(request(XdsType.ENDPOINT, null, AdsTestClient.SIDECAR).toBuilder()
                .addResourceNames("a").addResourceNames("b").addResourceNames("c").build());
        DiscoveryResponse all = client.next();
        assertThat(all.getResourcesCount()).as("a request is answered with everything subscribed").isEqualTo(3);
        ackAndAwait(all);

        generator.endpoint("b", 2);
        ads.push(PushRequest.endpointsOnly("b moved", Instant.EPOCH));

        DiscoveryResponse update = client.next();
        assertThat(update.getResourcesList()).extracting(any -> any.unpack(ClusterLoadAssignment.class).getClusterName())
                .containsExactly("b");
        client.send(DiscoveryRequest.newBuilder().setTypeUrl(XdsType.ENDPOINT.typeUrl())
                .setVersionInfo(update.getVersionInfo()).setResponseNonce(update.getNonce())
                .addResourceNames("a").addResourceNames("b").addResourceNames("c").build());
        await().atMost(Duration.ofSeconds(5)).until(() ->
                ads.statuses().get(0).type(XdsType.ENDPOINT).status() == SyncStatus.SYNCED);
        ads.push(PushRequest.endpointsOnly("nothing moved", Instant.EPOCH));
        assertThat(client.responses.poll(200, TimeUnit.MILLISECONDS)).as("nothing changed, nothing sent").isNull();
    }

    @Test
    void edsFollowsTheRequestedNames() throws Exception {
        generator.endpoints(1, "a", "b", "c");
        client.openSotw().send(DiscoveryRequest.newBuilder().setNode(AdsTestClient.SIDECAR)
                .setTypeUrl(XdsType.ENDPOINT.typeUrl()).addResourceNames("b").build());

        DiscoveryResponse eds = client.next();

        assertThat(eds.getResourcesCount()).isEqualTo(1);
        client.send(DiscoveryRequest.newBuilder().setTypeUrl(XdsType.ENDPOINT.typeUrl())
                .setVersionInfo(eds.getVersionInfo()).setResponseNonce(eds.getNonce())
                .addResourceNames("b").addResourceNames("c").build());
        assertThat(client.next().getResourcesCount()).as("new subscription answered at once").isEqualTo(2);
    }

    @Test
    void malformedNodeIdIsRejectedWithItsReason() {
        client.openSotw().send(DiscoveryRequest.newBuilder().setTypeUrl(XdsType.CLUSTER.typeUrl())
                .setNode(Node.newBuilder().setId("not-an-istio-id")).build());

        Throwable error = client.awaitError();

        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        assertThat(((StatusRuntimeException) error).getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(error.getMessage()).contains("type~ip~podName.namespace~dnsDomain");
    }

    @Test
    void generatorFailureKeepsTheProxyOnWhatItHas() throws Exception {
        generator.clusters("a");
        client.openSotw().send(request(XdsType.CLUSTER, null, AdsTestClient.SIDECAR));
        ackAndAwait(client.next());

        generator.failing = true;
        ads.push(PushRequest.full("broken", Instant.EPOCH));
        generator.failing = false;
        generator.clusters("b");
        ads.push(PushRequest.full("fixed", Instant.EPOCH));

        assertThat(clusterNames(client.next())).containsExactly("b");
    }

    @Test
    void lifecycleFollowsTheStream() {
        generator.clusters("a");
        client.openSotw().send(request(XdsType.CLUSTER, null, AdsTestClient.SIDECAR));
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycleEvents.contains("connected reviews-v1-abc"));
        assertThat(ads.connectedProxy("reviews-v1-abc.default")).isPresent();

        client.closeStream();

        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycleEvents.contains("disconnected reviews-v1-abc"));
        assertThat(ads.statuses()).isEmpty();
    }

    @Test
    void deltaSendsOnlyChangesAndRemovals() throws Exception {
        generator.clusters("a", "b");
        client.openDelta().send(DeltaDiscoveryRequest.newBuilder().setNode(AdsTestClient.SIDECAR)
                .setTypeUrl(XdsType.CLUSTER.typeUrl()).build());

        DeltaDiscoveryResponse first = client.nextDelta();
        assertThat(first.getResourcesList()).extracting(Resource::getName).containsExactly("a", "b");
        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(XdsType.CLUSTER.typeUrl())
                .setResponseNonce(first.getNonce()).build());
        await().atMost(Duration.ofSeconds(5)).until(() ->
                ads.statuses().get(0).type(XdsType.CLUSTER).status() == SyncStatus.SYNCED);
        assertThat(ads.statuses().get(0).streamKind()).isEqualTo("delta");

        generator.clusters("b", "c");
        ads.push(PushRequest.full("test", Instant.EPOCH));

        DeltaDiscoveryResponse second = client.nextDelta();
        assertThat(second.getResourcesList()).extracting(Resource::getName).containsExactly("c");
        assertThat(second.getRemovedResourcesList()).containsExactly("a");
    }

    @Test
    void deltaHonoursInitialVersionsAndExplicitSubscriptions() throws Exception {
        generator.endpoints(1, "a", "b");
        client.openDelta().send(DeltaDiscoveryRequest.newBuilder().setNode(AdsTestClient.SIDECAR)
                .setTypeUrl(XdsType.ENDPOINT.typeUrl()).addResourceNamesSubscribe("a").build());

        DeltaDiscoveryResponse first = client.nextDelta();
        assertThat(first.getResourcesList()).extracting(Resource::getName).containsExactly("a");
        String versionOfA = first.getResources(0).getVersion();

        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(XdsType.ENDPOINT.typeUrl())
                .setResponseNonce(first.getNonce()).addResourceNamesSubscribe("b").build());
        DeltaDiscoveryResponse second = client.nextDelta();
        assertThat(second.getResourcesList()).extracting(Resource::getName).containsExactly("b");

        try (AdsTestClient reconnecting = new AdsTestClient(server.getPort())) {
            reconnecting.openDelta().send(DeltaDiscoveryRequest.newBuilder().setNode(AdsTestClient.SIDECAR)
                    .setTypeUrl(XdsType.ENDPOINT.typeUrl()).addResourceNamesSubscribe("a")
                    .putInitialResourceVersions("a", versionOfA).build());
            DeltaDiscoveryResponse resumed = reconnecting.nextDelta();
            assertThat(resumed.getResourcesList()).as("a is already current").isEmpty();
        }
    }
}
