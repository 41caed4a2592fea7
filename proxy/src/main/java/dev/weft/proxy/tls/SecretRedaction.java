package dev.weft.proxy.tls;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;

/**
 * Hides private keys from /config_dump as Envoy does: an inline key (or its password) becomes "[redacted]"; a key
 * named by file keeps its file name, which is not a secret.
 */
public final class SecretRedaction {

    static final String REDACTED = "[redacted]";

    private SecretRedaction() {
    }

    /** The bootstrap's static listeners, clusters and secrets, redacted. */
    public static Bootstrap of(Bootstrap bootstrap) {
        Bootstrap.Builder b = bootstrap.toBuilder();
        var statics = b.getStaticResourcesBuilder();
        for (int i = 0; i < statics.getListenersCount(); i++) {
            statics.setListeners(i, of(statics.getListeners(i)));
        }
        for (int i = 0; i < statics.getClustersCount(); i++) {
            statics.setClusters(i, of(statics.getClusters(i)));
        }
        for (int i = 0; i < statics.getSecretsCount(); i++) {
            statics.setSecrets(i, of(statics.getSecrets(i)));
        }
        return b.build();
    }

    public static Secret of(Secret secret) {
        return secret.hasTlsCertificate() ? secret.toBuilder().setTlsCertificate(of(secret.getTlsCertificate())).build() : secret;
    }

    public static Listener of(Listener listener) {
        Listener.Builder b = listener.toBuilder();
        for (var chain : b.getFilterChainsBuilderList()) {
            if (chain.hasTransportSocket()) {
                chain.setTransportSocket(of(chain.getTransportSocket()));
            }
        }
        if (b.hasDefaultFilterChain() && b.getDefaultFilterChain().hasTransportSocket()) {
            b.getDefaultFilterChainBuilder().setTransportSocket(of(b.getDefaultFilterChain().getTransportSocket()));
        }
        return b.build();
    }

    public static Cluster of(Cluster cluster) {
        return cluster.hasTransportSocket()
                ? cluster.toBuilder().setTransportSocket(of(cluster.getTransportSocket())).build() : cluster;
    }

    private static TransportSocket of(TransportSocket socket) {
        Any any = socket.getTypedConfig();
        try {
            if (TlsContextCompiler.DOWNSTREAM.isIn(any)) {
                DownstreamTlsContext c = TlsContextCompiler.DOWNSTREAM.unpack(any);
                any = Any.pack(c.toBuilder().setCommonTlsContext(of(c.getCommonTlsContext())).build());
            } else if (TlsContextCompiler.UPSTREAM.isIn(any)) {
                UpstreamTlsContext c = TlsContextCompiler.UPSTREAM.unpack(any);
                any = Any.pack(c.toBuilder().setCommonTlsContext(of(c.getCommonTlsContext())).build());
            }
        } catch (InvalidProtocolBufferException e) {
            // A context that does not parse was rejected and is not in the dump.
            return socket;
        }
        return socket.toBuilder().setTypedConfig(any).build();
    }

    private static CommonTlsContext of(CommonTlsContext common) {
        CommonTlsContext.Builder b = common.toBuilder();
        for (int i = 0; i < b.getTlsCertificatesCount(); i++) {
            b.setTlsCertificates(i, of(b.getTlsCertificates(i)));
        }
        return b.build();
    }

    private static TlsCertificate of(TlsCertificate certificate) {
        TlsCertificate.Builder b = certificate.toBuilder();
        if (b.hasPrivateKey()) {
            b.setPrivateKey(of(b.getPrivateKey()));
        }
        if (b.hasPassword()) {
            b.setPassword(of(b.getPassword()));
        }
        return b.build();
    }

    private static DataSource of(DataSource source) {
        return source.hasInlineString() || source.hasInlineBytes()
                ? DataSource.newBuilder().setInlineString(REDACTED).build() : source;
    }
}
