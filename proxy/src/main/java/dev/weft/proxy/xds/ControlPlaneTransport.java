package dev.weft.proxy.xds;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.tls.DataSources;
import dev.weft.proxy.tls.TlsContextCompiler;
import dev.weft.proxy.transport.GrpcChannels;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * How the proxy's gRPC channels reach the control plane: in plain text, or over TLS that verifies the server against
 * the mesh root (Istio mounts it as {@code istio-ca-root-cert} and names istiod {@code istiod.istio-system.svc}).
 * The ADS channel and the CA client share one transport, as the Istio agent trusts one root for both.
 *
 * @param authority the name sent as SNI and checked against the server's certificate (the context's {@code sni});
 *     empty: the target's host
 */
public record ControlPlaneTransport(ChannelCredentials credentials, Optional<String> authority) {

    public static final ControlPlaneTransport PLAINTEXT =
            new ControlPlaneTransport(InsecureChannelCredentials.create(), Optional.empty());

    /** An envoy_grpc service's cluster transport socket: TLS for an UpstreamTlsContext, else plain text. */
    public static ControlPlaneTransport of(TransportSocket socket) {
        UpstreamTlsContext tls = TlsContextCompiler.upstreamContext(socket);
        if (tls == null) {
            return PLAINTEXT;
        }
        ChannelCredentials credentials = TlsChannelCredentials.newBuilder().trustManager(TlsContextCompiler
                .serverVerifier(tls.getCommonTlsContext(), "the xDS cluster's UpstreamTlsContext")).build();
        return new ControlPlaneTransport(credentials, tls.getSni().isEmpty() ? Optional.empty()
                : Optional.of(tls.getSni()));
    }

    /** A google_grpc service: TLS with the roots of its {@code ssl_credentials}, else plain text. */
    public static ControlPlaneTransport of(GrpcService.GoogleGrpc service) {
        if (!service.getChannelCredentials().hasSslCredentials()) {
            return PLAINTEXT;
        }
        var ssl = service.getChannelCredentials().getSslCredentials();
        if (!ssl.hasRootCerts()) {
            throw new ConfigException("google_grpc ssl_credentials needs root_certs: the control plane must be verified");
        }
        byte[] roots = DataSources.read(ssl.getRootCerts(), "google_grpc.channel_credentials.ssl_credentials.root_certs");
        try {
            return new ControlPlaneTransport(TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(roots)).build(), Optional.empty());
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("google_grpc ssl_credentials.root_certs: " + e.getMessage());
        }
    }

    /** A channel to a gRPC target ({@code host:port} or a URI). */
    public ManagedChannel channel(String target) {
        return build(GrpcChannels.forTarget(target, credentials));
    }

    /** A channel to one address. */
    public ManagedChannel channel(String host, int port) {
        return build(GrpcChannels.forAddress(host, port, credentials));
    }

    private ManagedChannel build(ManagedChannelBuilder<?> builder) {
        authority.ifPresent(builder::overrideAuthority);
        return builder.build();
    }
}
