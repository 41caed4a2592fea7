package dev.weft.controlplane.ca;

import dev.weft.api.ca.IstioCaMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.tls.Csrs;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CreateCertificate over a real gRPC server and client, as an Istio agent calls it. */
class CertificateServiceTest {

    private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/sleep");

    @TempDir
    Path dir;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(Optional.empty(), dir, "cluster.local",
                Clock.systemUTC());
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new CertificateService(ca, WorkloadTokens.of(Map.of("sleep-token", SLEEP)),
                        Duration.ofHours(2)).definition())
                .build().start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private IstioCaMessages.Response call(String token, String csr) {
        return call(token, csr, 3600);
    }

    private IstioCaMessages.Response call(String token, String csr, long validitySeconds) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        var intercepted = io.grpc.ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers));
        return ClientCalls.blockingUnaryCall(intercepted, IstioCaMessages.CREATE_CERTIFICATE,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                new IstioCaMessages.Request(csr, validitySeconds));
    }

    @Test
    void aWorkloadWithItsTokenGetsItsCertificateChain() {
        IstioCaMessages.Response r = call("sleep-token", Csrs.csrFor(Csrs.keyPair(), SLEEP.uri()));
        assertThat(r.certChain()).hasSize(2);
        assertThat(r.certChain().get(0)).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void aRequestThatAsksForNoValidityGetsWeftdsWorkloadCertTtl() throws Exception {
        String leaf = call("sleep-token", Csrs.csrFor(Csrs.keyPair(), SLEEP.uri()), 0).certChain().get(0);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(leaf.getBytes(StandardCharsets.US_ASCII)));
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(2).plusMinutes(1));
    }

    @Test
    void withoutAKnownTokenTheCallIsUnauthenticated() {
        String csr = Csrs.csrFor(Csrs.keyPair(), SLEEP.uri());
        for (String token : new String[] {null, "guessed"}) {
            assertThatThrownBy(() -> call(token, csr)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void aCsrForAnotherIdentityIsPermissionDeniedWithTheReason() {
        String csr = Csrs.csrFor(Csrs.keyPair(), "spiffe://cluster.local/ns/default/sa/admin");
        assertThatThrownBy(() -> call("sleep-token", csr)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).contains("but the caller is " + SLEEP.uri());
        });
    }
}
