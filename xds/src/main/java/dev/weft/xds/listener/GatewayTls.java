package dev.weft.xds.listener;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.weft.model.networking.ServerTLSMode;
import dev.weft.model.networking.ServerTLSSettings;
import dev.weft.model.networking.TLSCertificate;
import dev.weft.model.networking.TLSProtocol;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.secret.CredentialSecrets;
import dev.weft.xds.security.IstioMutualTls;
import dev.weft.xds.telemetry.MetadataExchangeFilters;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Optional;

/**
 * TLS a gateway server terminates, as Istio builds it: SIMPLE, MUTUAL and OPTIONAL_MUTUAL with certificates from
 * files or, by {@code credentialName}, over SDS from the control plane ({@code kubernetes://name}, the client CA in
 * {@code kubernetes://name-cacert} unless {@code caCertCredentialName} names another); ISTIO_MUTUAL with the
 * gateway's own workload certificate and the mesh root from its agent. The versions default to TLS 1.2 to 1.3.
 */
final class GatewayTls {

    private GatewayTls() {
    }

    /**
     * Empty for servers that do not terminate TLS here (plain HTTP, passthrough), and for ISTIO_MUTUAL on a
     * gateway without a workload certificate (its chain could never warm).
     */
    static Optional<TransportSocket> of(ServerTLSSettings tls, boolean http, ProxyNode proxy) {
        if (tls == null || !terminates(tls.mode())
                || (tls.mode() == ServerTLSMode.ISTIO_MUTUAL && !proxy.hasWorkloadCertificate())) {
            return Optional.empty();
        }
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder().setTlsParams(parameters(tls));
        if (http) {
            common.addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
        } else if (tls.mode() == ServerTLSMode.ISTIO_MUTUAL) {
            // A mesh client's sidecar may exchange its metadata first, as with a sidecar's TCP port (Istio's
            // buildMetadataExchangeNetworkFiltersForTCPIstioMTLSGateway).
            common.addAlpnProtocols(MetadataExchangeFilters.PROTOCOL).addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
        }
        CertificateValidationContext peer = peerChecks(tls);
        if (tls.mode() == ServerTLSMode.ISTIO_MUTUAL) {
            common.addTlsCertificateSdsSecretConfigs(IstioMutualTls.sds(IstioMutualTls.CERTIFICATE_SECRET))
                    .setCombinedValidationContext(combined(peer,
                            IstioMutualTls.sds(IstioMutualTls.ROOT_SECRET)));
        } else {
            certificate(tls, common);
            if (tls.mode() != ServerTLSMode.SIMPLE) {
                validation(tls, peer, common);
            }
        }
        DownstreamTlsContext.Builder context = DownstreamTlsContext.newBuilder().setCommonTlsContext(common);
        if (tls.mode() != ServerTLSMode.SIMPLE) {
            context.setRequireClientCertificate(BoolValue.of(tls.mode() != ServerTLSMode.OPTIONAL_MUTUAL));
        }
        return Optional.of(TransportSocket.newBuilder()
                .setName(IstioMutualTls.TLS_SOCKET)
                .setTypedConfig(Any.pack(context.build()))
                .build());
    }

    static boolean terminates(ServerTLSMode mode) {
        return mode == ServerTLSMode.SIMPLE || mode == ServerTLSMode.MUTUAL || mode == ServerTLSMode.OPTIONAL_MUTUAL
                || mode == ServerTLSMode.ISTIO_MUTUAL;
    }

    /** The server's certificate: files, else the first credential (weft-proxy serves one certificate per chain). */
    private static void certificate(ServerTLSSettings tls, CommonTlsContext.Builder common) {
        Optional<TLSCertificate> files = files(tls);
        if (files.isPresent()) {
            common.addTlsCertificates(TlsCertificate.newBuilder()
                    .setCertificateChain(DataSource.newBuilder().setFilename(files.get().serverCertificate()))
                    .setPrivateKey(DataSource.newBuilder().setFilename(files.get().privateKey())));
        } else {
            credential(tls).ifPresent(name -> common.addTlsCertificateSdsSecretConfigs(
                    CredentialSecrets.sdsConfig(CredentialSecrets.certificateSecret(name))));
        }
    }

    private static void validation(ServerTLSSettings tls, CertificateValidationContext peer,
            CommonTlsContext.Builder common) {
        Optional<TLSCertificate> files = files(tls);
        if (files.isPresent() && !files.get().caCertificates().isEmpty()) {
            common.setValidationContext(peer.toBuilder()
                    .setTrustedCa(DataSource.newBuilder().setFilename(files.get().caCertificates())));
        } else if (!tls.caCertCredentialName().isEmpty()) {
            common.setCombinedValidationContext(combined(peer,
                    CredentialSecrets.sdsConfig(CredentialSecrets.caSecret(tls.caCertCredentialName()))));
        } else if (files.isEmpty()) {
            credential(tls).ifPresent(name -> common.setCombinedValidationContext(combined(peer,
                    CredentialSecrets.sdsConfig(CredentialSecrets.caSecret(name)))));
        }
    }

    private static Optional<TLSCertificate> files(ServerTLSSettings tls) {
        if (!tls.serverCertificate().isEmpty()) {
            return Optional.of(new TLSCertificate(tls.serverCertificate(), tls.privateKey(), tls.caCertificates()));
        }
        return tls.tlsCertificates().stream().findFirst();
    }

    private static Optional<String> credential(ServerTLSSettings tls) {
        return !tls.credentialName().isEmpty() ? Optional.of(tls.credentialName())
                : tls.credentialNames().stream().findFirst();
    }

    /**
     * The SANs a client certificate must carry besides its chain. Key pins and certificate hashes are left out:
     * weft-proxy does not check them, and a pin that is silently not enforced is worse than a refused one.
     */
    @SuppressWarnings("deprecation") // match_subject_alt_names: what Istio writes for a gateway's subjectAltNames
    private static CertificateValidationContext peerChecks(ServerTLSSettings tls) {
        CertificateValidationContext.Builder checks = CertificateValidationContext.newBuilder();
        tls.subjectAltNames().forEach(san -> checks.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san)));
        return checks.build();
    }

    private static CommonTlsContext.CombinedCertificateValidationContext combined(CertificateValidationContext peer,
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig ca) {
        return CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                .setDefaultValidationContext(peer)
                .setValidationContextSdsSecretConfig(ca)
                .build();
    }

    private static TlsParameters parameters(ServerTLSSettings tls) {
        return TlsParameters.newBuilder()
                .setTlsMinimumProtocolVersion(version(tls.minProtocolVersion(), TlsParameters.TlsProtocol.TLSv1_2))
                .setTlsMaximumProtocolVersion(version(tls.maxProtocolVersion(), TlsParameters.TlsProtocol.TLSv1_3))
                .addAllCipherSuites(tls.cipherSuites())
                .build();
    }

    private static TlsParameters.TlsProtocol version(TLSProtocol version, TlsParameters.TlsProtocol auto) {
        return switch (version == null ? TLSProtocol.TLS_AUTO : version) {
            case TLS_AUTO -> auto;
            case TLSV1_0 -> TlsParameters.TlsProtocol.TLSv1_0;
            case TLSV1_1 -> TlsParameters.TlsProtocol.TLSv1_1;
            case TLSV1_2 -> TlsParameters.TlsProtocol.TLSv1_2;
            case TLSV1_3 -> TlsParameters.TlsProtocol.TLSv1_3;
        };
    }
}
