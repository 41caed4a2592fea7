package dev.weft.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ADS server driven by the test: it records requests (and the {@code authorization} a stream carried) and sends
 * the responses the test pushes.
 */
public final class FakeAdsServer implements AutoCloseable {

    private final Map<String, LinkedBlockingQueue<DiscoveryRequest>> requests = new ConcurrentHashMap<>();
    private final AtomicInteger nonces = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final Server server;
    private volatile StreamObserver<DiscoveryResponse> current;
    private volatile String authorization = "";
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    public FakeAdsServer() {
        this(InsecureServerCredentials.create());
    }

    /** Serving with these credentials (TLS). */
    public FakeAdsServer(ServerCredentials credentials) {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
                    .addService(new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
                        @Override
                        public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> out) {
                            current = out;
                            streams.incrementAndGet();
                            return new StreamObserver<>() {
                                @Override
                                public void onNext(DiscoveryRequest r) {
                                    queue(r.getTypeUrl()).add(r);
                                }

                                @Override
                                public void onError(Throwable t) {
                                }

                                @Override
                                public void onCompleted() {
                                }
                            };
                        }
                    }).intercept(new ServerInterceptor() {
                        @Override
                        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                ServerCallHandler<Q, R> next) {
                            String sent = headers.get(AUTHORIZATION);
                            authorization = sent == null ? "" : sent;
                            return next.startCall(call, headers);
                        }
                    }).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /**
     * A bootstrap that takes clusters and listeners over ADS from this server, as node {@code nodeId}, with a
     * static cluster "xds" for it; {@code staticClusters} are more static clusters (YAML list items, indented 2).
     */
    String bootstrap(String nodeId, String staticClusters) {
        return """
                node: { id: %s, cluster: test }
                dynamic_resources:
                  ads_config: { api_type: GRPC, transport_api_version: V3, grpc_services: [ { envoy_grpc: { cluster_name: xds } } ] }
                  cds_config: { ads: {}, resource_api_version: V3 }
                  lds_config: { ads: {}, resource_api_version: V3 }
                static_resources:
                  clusters:
                  - name: xds
                    http2_protocol_options: {}
                    load_assignment: { cluster_name: xds, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } } } ] } ] }
                """.formatted(nodeId, port()) + staticClusters;
    }

    /** The {@code authorization} header of the last call (empty: none). */
    public String authorization() {
        return authorization;
    }

    int streamCount() {
        return streams.get();
    }

    /** Sends a state of the world for one type; returns the nonce. */
    public String push(String typeUrl, String version, Message... resources) {
        String nonce = "n" + nonces.incrementAndGet();
        DiscoveryResponse.Builder b = DiscoveryResponse.newBuilder().setTypeUrl(typeUrl).setVersionInfo(version).setNonce(nonce);
        for (Message m : resources) {
            b.addResources(Any.pack(m));
        }
        synchronized (this) {
            current.onNext(b.build());
        }
        return nonce;
    }

    private LinkedBlockingQueue<DiscoveryRequest> queue(String typeUrl) {
        return requests.computeIfAbsent(typeUrl, t -> new LinkedBlockingQueue<>());
    }

    /** The next request of the given type; fails after 10 seconds. */
    public DiscoveryRequest next(String typeUrl) throws InterruptedException {
        DiscoveryRequest r = queue(typeUrl).poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no " + typeUrl + " request arrived");
        }
        return r;
    }

    void dropStream() {
        current.onError(Status.UNAVAILABLE.withDescription("test drops the stream").asRuntimeException());
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
