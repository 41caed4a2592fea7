package dev.weft.proxy.identity;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * A workload token sent as gRPC {@code authorization: Bearer <jwt>}, as Istio's agent sends the pod's
 * {@code istio-token} to istiod on the ADS stream and the CSR. The file is read for every call: the kubelet rotates a
 * projected token in place.
 */
public final class BearerTokenFile extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Path file;

    public BearerTokenFile(Path file) {
        this.file = file;
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        appExecutor.execute(() -> {
            try {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + Files.readString(file).strip());
                applier.apply(headers);
            } catch (IOException | RuntimeException e) {
                applier.fail(Status.UNAUTHENTICATED.withDescription("cannot read the token " + file + ": " + e)
                        .withCause(e));
            }
        });
    }
}
