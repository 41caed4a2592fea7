package dev.weft.controlplane.ca;

import dev.weft.api.ca.IstioCaMessages;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** gRPC clients of weftd's TLS port as a proxy dials it: trusting a root file, naming istiod by SNI. */
public final class MeshRootChannels {

    /** The SNI weft-proxy bootstraps send, Istio's name for istiod. */
    public static final String ISTIOD = "istiod.istio-system.svc";

    private MeshRootChannels() {
    }

    /** A channel to 127.0.0.1:{@code port} that accepts only a server whose certificate chains to {@code root}. */
    public static ManagedChannel to(int port, Path root) throws IOException {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                TlsChannelCredentials.newBuilder().trustManager(root.toFile()).build()).overrideAuthority(ISTIOD).build();
    }

    /** Istio's CreateCertificate with a bearer token; the signed chain. */
    public static List<String> createCertificate(Channel channel, String token, String csr) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers)), IstioCaMessages.CREATE_CERTIFICATE,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                new IstioCaMessages.Request(csr, 0)).certChain();
    }
}
