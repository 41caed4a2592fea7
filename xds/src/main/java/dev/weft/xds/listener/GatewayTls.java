package dev.weft.xds.listener;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.weft.model.networking.ServerTLSMode;
import dev.weft.model.networking.ServerTLSSettings;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.util.Optional;

/**
 * TLS a gateway terminates (SIMPLE, MUTUAL, OPTIONAL_MUTUAL): certificates from files, or from SDS by
 * {@code credentialName} as Istio names them ({@code kubernetes://name}, CA in {@code name-cacert}).
 */
final class GatewayTls {

    private GatewayTls() {
    }

    /** Empty for servers that do not terminate TLS here (plain HTTP, passthrough, Istio mTLS for now). */
    static Optional<TransportSocket> of(ServerTLSSettings tls) {
        if (tls == null || (tls.mode() != ServerTLSMode.SIMPLE && tls.mode() != ServerTLSMode.MUTUAL
                && tls.mode() != ServerTLSMode.OPTIONAL_MUTUAL)) {
            return Optional.empty();
        }
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder().addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
        boolean fromFiles = !tls.serverCertificate().isEmpty();
        if (fromFiles) {
            common.addTlsCertificates(TlsCertificate.newBuilder()
                    .setCertificateChain(DataSource.newBuilder().setFilename(tls.serverCertificate()))
                    .setPrivateKey(DataSource.newBuilder().setFilename(tls.privateKey())));
        } else if (!tls.credentialName().isEmpty()) {
            common.addTlsCertificateSdsSecretConfigs(sds("kubernetes://" + tls.credentialName()));
        }
        DownstreamTlsContext.Builder context = DownstreamTlsContext.newBuilder();
        if (tls.mode() != ServerTLSMode.SIMPLE) {
            if (!tls.caCertificates().isEmpty()) {
                common.setValidationContext(CertificateValidationContext.newBuilder()
                        .setTrustedCa(DataSource.newBuilder().setFilename(tls.caCertificates())));
            } else if (!tls.credentialName().isEmpty()) {
                common.setValidationContextSdsSecretConfig(sds("kubernetes://" + tls.credentialName() + "-cacert"));
            }
            context.setRequireClientCertificate(BoolValue.of(tls.mode() == ServerTLSMode.MUTUAL));
        }
        context.setCommonTlsContext(common);
        return Optional.of(TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(context.build()))
                .build());
    }

    private static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder()
                .setName(name)
                .setSdsConfig(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance())
                        .setResourceApiVersion(ApiVersion.V3))
                .build();
    }
}
