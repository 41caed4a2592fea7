package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.api.ca.IstioCaMessages;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.authn.ServiceAccountTokens;
import dev.weft.model.load.ConfigLoader;
import dev.weft.testing.tls.Csrs;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd on Kubernetes identifies a pod by its projected service-account token, as istiod does: its CA signs for the
 * SPIFFE ID the API server's TokenReview names, and its ADS port admits a proxy only as that namespace and service
 * account. Real gRPC over TLS to a real weftd, the mock API server answering TokenReviews.
 */
class KubeWorkloadAuthenticationTest {

    private static final String SLEEP = "spiffe://cluster.local/ns/default/sa/sleep";
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    @TempDir
    Path data;
    private MockApiServer api;
    private KubernetesClient client;
    private ServiceAccountTokens tokens;
    private Weftd weftd;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        api = new MockApiServer();
        client = api.client();
        tokens = new ServiceAccountTokens().on(api);
        new KubeCluster(client).withIstioCrds();
        KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE, Duration.ofSeconds(30));
        weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0).withDataDir(data).withSource(kube));
        // As a sidecar dials istiod: the mesh root from istio-ca-root-cert, istiod's name.
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", weftd.xdsPort(), TlsChannelCredentials.newBuilder()
                .trustManager(data.resolve(Weftd.ROOT_CERT_FILE).toFile()).build())
                .overrideAuthority("istiod.istio-system.svc").build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        weftd.close();
        client.close();
        api.close();
    }

    private String token(String namespace, String serviceAccount, String audience) {
        return tokens.serviceAccount(namespace, serviceAccount, audience, Instant.now().plus(Duration.ofHours(1)));
    }

    private static Channel bearing(Channel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private List<String> createCertificate(String token, String spiffeId) {
        return ClientCalls.blockingUnaryCall(bearing(channel, token), IstioCaMessages.CREATE_CERTIFICATE,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                new IstioCaMessages.Request(Csrs.csrFor(Csrs.keyPair(), spiffeId), 0)).certChain();
    }

    @Test
    void aPodsTokenGetsACertificateForItsSpiffeIdReviewedOnce() throws Exception {
        String token = token("default", "sleep", "istio-ca");
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(createCertificate(token, SLEEP).getFirst().getBytes(StandardCharsets.US_ASCII)));
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, SLEEP));

        createCertificate(token, SLEEP);
        assertThat(tokens.reviews()).as("the second CSR is answered from the cache").isEqualTo(1);
    }

    @Test
    void tokensTheClusterDoesNotVouchForGetNoCertificate() {
        assertThat(refusal(() -> createCertificate("guessed", SLEEP))).isEqualTo(Status.Code.UNAUTHENTICATED
                + ": a certificate needs a known workload: the token is not authenticated by the Kubernetes API:"
                + " [invalid bearer token, square/go-jose: error in cryptographic primitive]");
        assertThat(refusal(() -> createCertificate(token("default", "sleep", "vault"), SLEEP)))
                .contains("UNAUTHENTICATED").contains("the token is for the audience [vault], not istio-ca");
        assertThat(refusal(() -> createCertificate(token("prod", "sleep", "istio-ca"), SLEEP)))
                .as("another namespace's token").contains("PERMISSION_DENIED")
                .contains("spiffe://cluster.local/ns/prod/sa/sleep");
    }

    @Test
    void adsAdmitsTheNodeItsTokenNamesAndRefusesAnotherNamespace() throws Exception {
        String token = token("default", "sleep", "istio-ca");
        assertThat(firstResponse(token, node("default", "sleep")).get(10, TimeUnit.SECONDS).getTypeUrl())
                .isEqualTo(CDS);

        CompletableFuture<DiscoveryResponse> foreign = firstResponse(token, node("istio-system", "sleep"));
        assertThat(refusal(() -> foreign.get(10, TimeUnit.SECONDS))).isEqualTo(Status.Code.UNAUTHENTICATED
                + ": node \"sidecar~10.1.0.7~sleep-1.istio-system~istio-system.svc.cluster.local\" claims namespace"
                + " istio-system but its caller is " + SLEEP);
        CompletableFuture<DiscoveryResponse> anonymous = firstResponse(channel, node("default", "sleep"));
        assertThat(refusal(() -> anonymous.get(10, TimeUnit.SECONDS))).contains("UNAUTHENTICATED")
                .contains("is not an authenticated workload: no credentials");
    }

    @Test
    void aWorkloadWithItsMeshCertificateNeedsNoTokenToRenewOrConnect() throws Exception {
        KeyPair key = Csrs.keyPair();
        List<String> chain = ClientCalls.blockingUnaryCall(bearing(channel, token("default", "sleep", "istio-ca")),
                IstioCaMessages.CREATE_CERTIFICATE, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                new IstioCaMessages.Request(Csrs.csrFor(key, SLEEP), 0)).certChain();
        String keyPem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        ManagedChannel mutual = Grpc.newChannelBuilderForAddress("127.0.0.1", weftd.xdsPort(),
                TlsChannelCredentials.newBuilder().trustManager(data.resolve(Weftd.ROOT_CERT_FILE).toFile())
                        .keyManager(new ByteArrayInputStream(String.join("", chain).getBytes(StandardCharsets.US_ASCII)),
                                new ByteArrayInputStream(keyPem.getBytes(StandardCharsets.US_ASCII))).build())
                .overrideAuthority("istiod.istio-system.svc").build();
        try {
            assertThat(ClientCalls.blockingUnaryCall(mutual, IstioCaMessages.CREATE_CERTIFICATE,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    new IstioCaMessages.Request(Csrs.csrFor(Csrs.keyPair(), SLEEP), 0)).certChain())
                    .as("renewed with the certificate alone").hasSize(2);
            assertThat(firstResponse(mutual, node("default", "sleep")).get(10, TimeUnit.SECONDS).getTypeUrl())
                    .isEqualTo(CDS);
            CompletableFuture<DiscoveryResponse> foreign = firstResponse(mutual, node("prod", "sleep"));
            assertThat(refusal(() -> foreign.get(10, TimeUnit.SECONDS))).contains("claims namespace prod");
            assertThat(tokens.reviews()).as("only the first CSR's token was reviewed").isEqualTo(1);
        } finally {
            mutual.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Node node(String namespace, String serviceAccount) {
        return Node.newBuilder()
                .setId("sidecar~10.1.0.7~sleep-1." + namespace + "~" + namespace + ".svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                        .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build()))
                .build();
    }

    private CompletableFuture<DiscoveryResponse> firstResponse(String token, Node node) {
        return firstResponse(bearing(channel, token), node);
    }

    /** An ADS stream asking for clusters as the node; its first response, or how the stream ended. */
    private static CompletableFuture<DiscoveryResponse> firstResponse(Channel to, Node node) {
        CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(to)
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse response) {
                        first.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        first.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        first.completeExceptionally(new IllegalStateException("stream completed"));
                    }
                });
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CDS).build());
        return first;
    }

    /** "CODE: description" of the gRPC error the call ends with. */
    private static String refusal(ThrowingCall call) {
        try {
            call.run();
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            if (cause instanceof StatusRuntimeException status) {
                return status.getStatus().getCode() + ": " + status.getStatus().getDescription();
            }
            throw new AssertionError("not a gRPC error", e);
        }
        throw new AssertionError("the call succeeded");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
