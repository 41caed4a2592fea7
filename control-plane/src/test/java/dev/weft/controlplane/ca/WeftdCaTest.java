package dev.weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.ca.IstioCaMessages;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weftd serves Istio's CreateCertificate on its xDS port, for the tokens in its data directory. */
class WeftdCaTest {

    private static final String SLEEP = "spiffe://example.org/ns/default/sa/sleep";

    @TempDir
    Path data;

    private static List<String> createCertificate(int port, String token, String csr) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                InsecureChannelCredentials.create()).build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                    MetadataUtils.newAttachHeadersInterceptor(headers)), IstioCaMessages.CREATE_CERTIFICATE,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    new IstioCaMessages.Request(csr, 0)).certChain();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void weftdSignsForTheTokensOfItsDataDirectoryWithTheSameRootAfterARestart() throws Exception {
        WeftdOptions options = WeftdOptions.defaults().withDataDir(data).withPorts(0, 0)
                .withCa(CaSettings.DEFAULT.withTrustDomain("example.org").withWorkloadCertTtl(Duration.ofHours(1)));
        String root;
        try (Weftd weftd = Weftd.start(options)) {
            assertThatThrownBy(() -> createCertificate(weftd.xdsPort(), "t1",
                    Csrs.csrFor(Csrs.keyPair(), SLEEP))).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

            Files.writeString(data.resolve(Weftd.WORKLOAD_TOKENS_FILE), "t1 " + SLEEP + "\n");
            List<String> chain = createCertificate(weftd.xdsPort(), "t1", Csrs.csrFor(Csrs.keyPair(), SLEEP));
            root = Files.readString(data.resolve("ca/root-cert.pem"));
            assertThat(chain).hasSize(2).last().isEqualTo(root);
        }
        try (Weftd restarted = Weftd.start(options)) {
            List<String> chain = createCertificate(restarted.xdsPort(), "t1", Csrs.csrFor(Csrs.keyPair(), SLEEP));
            assertThat(chain.getLast()).as("the same root after a restart").isEqualTo(root);
        }
    }
}
