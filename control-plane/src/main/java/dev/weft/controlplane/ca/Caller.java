package dev.weft.controlplane.ca;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a gRPC caller of weftd presented, as istiod's authenticators read it: the bearer token of its
 * {@code authorization} header, and over mutual TLS the SPIFFE ID of the client certificate the handshake verified
 * against the mesh root. {@link #INTERCEPTOR} puts it in the call's context; handlers read {@link #current()}.
 */
public record Caller(Optional<String> bearerToken, Optional<SpiffeId> certificateIdentity) {

    public static final Caller NONE = new Caller(Optional.empty(), Optional.empty());

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Caller> KEY = Context.keyWithDefault("weft-caller", NONE);
    /** gRPC's SAN type of a URI, where a SPIFFE ID is. */
    private static final int URI_SAN = 6;

    /** Reads the caller from a call's headers and transport, for the handlers behind it. */
    public static final ServerInterceptor INTERCEPTOR = new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            Caller caller = new Caller(bearer(headers.get(AUTHORIZATION)),
                    certificateIdentity(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
            return Contexts.interceptCall(Context.current().withValue(KEY, caller), call, headers, next);
        }
    };

    /** The caller of the call being handled, {@link #NONE} outside a call or without {@link #INTERCEPTOR}. */
    public static Caller current() {
        return KEY.get();
    }

    /**
     * Who the caller is: its certificate's identity when it has one (a workload renewing), else its token's, as the
     * platform's {@code tokens} tell; {@link TokenRefused} says why neither names a workload.
     */
    public SpiffeId identify(WorkloadTokens tokens) throws TokenRefused {
        if (certificateIdentity.isPresent()) {
            return certificateIdentity.get();
        }
        if (bearerToken.isEmpty()) {
            throw new TokenRefused("no credentials: send authorization: Bearer <token> or a mesh certificate");
        }
        return tokens.identify(bearerToken.get());
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).trim()).filter(token -> !token.isEmpty());
    }

    private static Optional<SpiffeId> certificateIdentity(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)
                    || leaf.getSubjectAlternativeNames() == null) {
                return Optional.empty();
            }
            for (List<?> san : leaf.getSubjectAlternativeNames()) {
                if ((Integer) san.get(0) == URI_SAN && san.get(1) instanceof String uri && uri.startsWith("spiffe://")) {
                    return Optional.of(SpiffeId.parse(uri));
                }
            }
            return Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // no client certificate: the token decides
        } catch (CertificateParsingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
