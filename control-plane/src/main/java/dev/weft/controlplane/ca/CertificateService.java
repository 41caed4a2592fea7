package dev.weft.controlplane.ca;

import dev.weft.api.ca.IstioCaMessages;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Istio's {@code IstioCertificateService/CreateCertificate} on weftd's gRPC port: the caller proves who it is with
 * {@code authorization: Bearer <token>}, sends a CSR for that identity, and gets the signed chain. A caller without
 * a known token is UNAUTHENTICATED; a CSR for another identity is PERMISSION_DENIED and logged.
 */
public final class CertificateService {

    private static final Logger LOG = Logger.getLogger(CertificateService.class.getName());
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TOKEN = Context.key("weft-ca-token");

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
        return ServerInterceptors.intercept(service, new BearerToken());
    }

    private void createCertificate(IstioCaMessages.Request request, StreamObserver<IstioCaMessages.Response> reply) {
        observer.csrReceived();
        String token = TOKEN.get();
        Optional<SpiffeId> caller = token == null ? Optional.empty() : tokens.identify(token);
        if (caller.isEmpty()) {
            observer.authenticationFailed();
            reply.onError(Status.UNAUTHENTICATED
                    .withDescription("a certificate needs a known workload token (authorization: Bearer <token>)")
                    .asRuntimeException());
            return;
        }
        try {
            Duration asked = request.validityDurationSeconds() > 0
                    ? Duration.ofSeconds(request.validityDurationSeconds()) : defaultTtl;
            reply.onNext(new IstioCaMessages.Response(ca.sign(request.csr(), caller.get(), asked)));
            reply.onCompleted();
            observer.issued();
        } catch (CertificateRefused e) {
            observer.refused(e.errorType());
            LOG.warning("refused a certificate for " + caller.get() + ": " + e.getMessage());
            reply.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    /** Takes the bearer token out of the call's headers for the handler. */
    private static final class BearerToken implements ServerInterceptor {

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String value = headers.get(AUTHORIZATION);
            String token = value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? value.substring(7).trim() : null;
            return Contexts.interceptCall(Context.current().withValue(TOKEN, token), call, headers, next);
        }
    }
}
