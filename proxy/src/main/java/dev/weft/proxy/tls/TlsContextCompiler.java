package dev.weft.proxy.tls;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Compiles the {@code envoy.transport_sockets.tls} transport socket into Netty {@link SslContext}s, once, when
 * config arrives: certificates and keys are read and checked here, so a bad one rejects the listener or cluster
 * with a message and never reaches a connection. Secrets named by SDS come from a {@link SecretLookup}.
 */
public final class TlsContextCompiler {

    static final MessageType<DownstreamTlsContext> DOWNSTREAM = MessageType.of(
            DownstreamTlsContext.getDescriptor(), DownstreamTlsContext.parser());
    static final MessageType<UpstreamTlsContext> UPSTREAM = MessageType.of(
            UpstreamTlsContext.getDescriptor(), UpstreamTlsContext.parser());

    public static final String TLS = "envoy.transport_sockets.tls";
    private static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";
    /** The type of the key store Netty builds to hand a certificate's key to the TLS engine. */
    private static final String IN_MEMORY_KEY_STORE = "JKS";

    private TlsContextCompiler() {
    }

    /** Null for a plain-text transport socket (raw_buffer). */
    public static DownstreamTls downstream(TransportSocket socket, SecretLookup secrets) {
        DownstreamTlsContext proto = unpack(socket, DOWNSTREAM);
        if (proto == null) {
            return null;
        }
        Material m = material(proto.getCommonTlsContext(), secrets);
        if (m.certificate() == null && m.missing().isEmpty()) {
            throw new ConfigException("DownstreamTlsContext needs tls_certificates or tls_certificate_sds_secret_configs");
        }
        boolean requireClient = proto.hasRequireClientCertificate() && proto.getRequireClientCertificate().getValue();
        if (requireClient && m.validation().trustedCa().isEmpty() && m.missing().isEmpty()) {
            throw new ConfigException("require_client_certificate needs a validation context with trusted_ca");
        }
        if (!m.missing().isEmpty()) {
            return new DownstreamTls(null, m.missing(), m.certificate(), m.validation());
        }
        try {
            SslContextBuilder b = SslContextBuilder.forServer(m.certificate().key(), m.certificate().chain())
                    .sslProvider(TlsEngine.provider());
            if (!m.validation().trustedCa().isEmpty()) {
                b.trustManager(PeerVerifyingTrustManager.of(m.validation()))
                        .clientAuth(requireClient ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            applyCommon(b, m, m.alpn());
            return new DownstreamTls(b.build(), List.of(), m.certificate(), m.validation());
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("DownstreamTlsContext: " + e.getMessage());
        }
    }

    /**
     * Null for a plain-text transport socket (raw_buffer). Without configured ALPN, a context is built only for
     * the pools the cluster may use ({@code http1}, {@code http2}); the other protocol then shares it.
     */
    public static UpstreamTls upstream(TransportSocket socket, SecretLookup secrets, boolean http1, boolean http2) {
        UpstreamTlsContext proto = unpack(socket, UPSTREAM);
        if (proto == null) {
            return null;
        }
        Material m = material(proto.getCommonTlsContext(), secrets);
        if (!m.missing().isEmpty()) {
            return new UpstreamTls(null, null, proto.getSni(), m.missing(), m.certificate(), m.validation());
        }
        try {
            if (!m.alpn().isEmpty()) {
                SslContext both = client(m, m.alpn());
                return new UpstreamTls(both, both, proto.getSni(), List.of(), m.certificate(), m.validation());
            }
            SslContext h1 = http1 || !http2 ? client(m, List.of("http/1.1")) : null;
            SslContext h2 = http2 ? client(m, List.of("h2")) : null;
            return new UpstreamTls(h1 != null ? h1 : h2, h2 != null ? h2 : h1, proto.getSni(), List.of(), m.certificate(),
                    m.validation());
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("UpstreamTlsContext: " + e.getMessage());
        }
    }

    /** A cluster's UpstreamTlsContext, or null for a plain-text transport socket (raw_buffer). */
    public static UpstreamTlsContext upstreamContext(TransportSocket socket) {
        return unpack(socket, UPSTREAM);
    }

    /**
     * How a gRPC client to the control plane (the ADS and CA channels) checks its server, as Envoy checks an upstream:
     * the chain must lead to the trusted CA, and a SAN must match one of the matchers if there are any. Unlike a
     * data-plane cluster the trusted CA is required (an unverified control plane could hand the proxy any config),
     * and the material must be in the context itself: SDS arrives over the very channel being opened.
     */
    public static X509ExtendedTrustManager serverVerifier(CommonTlsContext common, String field) {
        Material m = material(common, SecretLookup.NONE);
        if (!m.missing().isEmpty()) {
            throw new ConfigException(field + " names SDS secrets " + m.missing()
                    + ", which cannot arrive before the control plane is reached");
        }
        if (m.certificate() != null) {
            throw new ConfigException(field + ": client certificates to the control plane are not supported");
        }
        if (m.validation().trustedCa().isEmpty()) {
            throw new ConfigException(field + " needs validation_context.trusted_ca: the control plane must be verified");
        }
        try {
            return PeerVerifyingTrustManager.of(m.validation());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(field + ": " + e.getMessage());
        }
    }

    private static SslContext client(Material m, List<String> alpn) throws SSLException, GeneralSecurityException {
        // Envoy checks an upstream by its SANs, not by host name; without a trusted CA it does not verify at all.
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(TlsEngine.provider()).endpointIdentificationAlgorithm(null);
        if (m.validation().trustedCa().isEmpty()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            b.trustManager(PeerVerifyingTrustManager.of(m.validation()));
        }
        if (m.certificate() != null) {
            b.keyManager(m.certificate().key(), m.certificate().chain());
        }
        applyCommon(b, m, alpn);
        return b.build();
    }

    private static void applyCommon(SslContextBuilder b, Material m, List<String> alpn) {
        // The key store only carries the key to the TLS engine, in memory: PKCS12, the default, encrypts the key with
        // 10,000 rounds of PBKDF2 for nothing, 40 ms per context warm and 120 ms cold; JKS takes 1.2 ms.
        b.keyStoreType(IN_MEMORY_KEY_STORE);
        b.protocols(m.parameters().protocols());
        if (m.parameters().cipherSuites() != null) {
            b.ciphers(m.parameters().cipherSuites());
        }
        if (!alpn.isEmpty()) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
    }

    private record Material(CertificateMaterial certificate, ValidationMaterial validation, TlsParameters parameters,
            List<String> alpn, List<String> missing) {
    }

    private static Material material(CommonTlsContext common, SecretLookup secrets) {
        List<String> missing = new ArrayList<>();
        if (common.getTlsCertificatesCount() + common.getTlsCertificateSdsSecretConfigsCount() > 1) {
            throw new ConfigException("only one TLS certificate per context is supported");
        }
        CertificateMaterial certificate = null;
        if (common.getTlsCertificatesCount() == 1) {
            certificate = CertificateMaterial.of(common.getTlsCertificates(0), "tls_certificates[0]");
        } else if (common.getTlsCertificateSdsSecretConfigsCount() == 1) {
            String name = common.getTlsCertificateSdsSecretConfigs(0).getName();
            TlsSecret secret = secrets.find(name);
            if (secret == null) {
                missing.add(name);
            } else if (secret.certificate() == null) {
                throw new ConfigException("secret '" + name + "' is not a tls_certificate");
            } else {
                certificate = secret.certificate();
            }
        }
        ValidationMaterial validation = switch (common.getValidationContextTypeCase()) {
            case VALIDATION_CONTEXT -> ValidationMaterial.of(common.getValidationContext(), "validation_context");
            case VALIDATION_CONTEXT_SDS_SECRET_CONFIG -> sdsValidation(
                    common.getValidationContextSdsSecretConfig().getName(), secrets, missing, ValidationMaterial.NONE);
            case COMBINED_VALIDATION_CONTEXT -> sdsValidation(
                    common.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName(), secrets, missing,
                    ValidationMaterial.of(common.getCombinedValidationContext().getDefaultValidationContext(),
                            "combined_validation_context.default_validation_context"));
            default -> ValidationMaterial.NONE;
        };
        if (missing.isEmpty()) {
            validation.requireCaForSanMatching("validation context");
        }
        return new Material(certificate, validation, TlsParameters.of(common.getTlsParams()),
                List.copyOf(common.getAlpnProtocolsList()), missing);
    }

    private static ValidationMaterial sdsValidation(String name, SecretLookup secrets, List<String> missing,
            ValidationMaterial defaults) {
        TlsSecret secret = secrets.find(name);
        if (secret == null) {
            missing.add(name);
            return defaults;
        }
        if (secret.validation() == null) {
            throw new ConfigException("secret '" + name + "' is not a validation_context");
        }
        return secret.validation().with(defaults);
    }

    private static <T extends com.google.protobuf.Message> T unpack(TransportSocket socket, MessageType<T> type) {
        if (socket.getName().equals(RAW_BUFFER) && !socket.hasTypedConfig()) {
            return null;
        }
        if (!type.isIn(socket.getTypedConfig())) {
            if (socket.getName().equals(RAW_BUFFER)) {
                return null;
            }
            throw new ConfigException("transport socket '" + socket.getName() + "' is not supported (want "
                    + TLS + " with " + type.simpleName() + ")");
        }
        try {
            return type.unpack(socket.getTypedConfig());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("transport socket '" + socket.getName() + "' does not parse: " + e.getMessage());
        }
    }
}
