package dev.weft.controlplane.ca;

import dev.weft.api.ca.IstioCaMessages;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Istio's {@code IstioCertificateService/CreateCertificate} on weftd's gRPC port: the caller proves who it is with
 * {@code authorization: Bearer <token>} (or, renewing over mutual TLS, with its mesh certificate, as istiod's
 * client-certificate authenticator accepts), sends a CSR for that identity, and gets the signed chain. A caller
 * without a known token is UNAUTHENTICATED, told why; a CSR for another identity is PERMISSION_DENIED and logged.
 */
public final class CertificateService {

    private static final Logger LOG = Logger.getLogger(CertificateService.class.getName());

    private final CertificateAuthority ca;
    private final WorkloadTokens tokens;
    private final Duration defaultTtl;
    private final SigningObserver observer;

    /** {@code defaultTtl} is the validity given when a request asks for none. */
    public CertificateService(CertificateAuthority ca, WorkloadTokens tokens, Duration defaultTtl) {
        this(ca, tokens, defaultTtl, SigningObserver.NONE);
    }

    /** As above; {@code observer} is told of every call and how it ended (weftd's Citadel metrics). */
    public CertificateService(CertificateAuthority ca, WorkloadTokens tokens, Duration defaultTtl,
            SigningObserver observer) {
        this.ca = ca;
        this.tokens = tokens;
        this.defaultTtl = defaultTtl;
        this.observer = observer;
    }

    public ServerServiceDefinition definition() {
        ServerServiceDefinition service = ServerServiceDefinition.builder(IstioCaMessages.SERVICE)
                .addMethod(IstioCaMessages.CREATE_CERTIFICATE, ServerCalls.asyncUnaryCall(this::createCertificate))
                .build();
        return ServerInterceptors.intercept(service, Caller.INTERCEPTOR);
    }

    private void createCertificate(IstioCaMessages.Request request, StreamObserver<IstioCaMessages.Response> reply) {
        observer.csrReceived();
        SpiffeId caller;
        try {
            caller = Caller.current().identify(tokens);
        } catch (TokenRefused e) {
            observer.authenticationFailed();
            reply.onError(Status.UNAUTHENTICATED.withDescription("a certificate needs a known workload: "
                    + e.getMessage()).asRuntimeException());
            return;
        }
        try {
            Duration asked = request.validityDurationSeconds() > 0
                    ? Duration.ofSeconds(request.validityDurationSeconds()) : defaultTtl;
            reply.onNext(new IstioCaMessages.Response(ca.sign(request.csr(), caller, asked)));
            reply.onCompleted();
            observer.issued();
        } catch (CertificateRefused e) {
            observer.refused(e.errorType());
            LOG.warning("refused a certificate for " + caller + ": " + e.getMessage());
            reply.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
