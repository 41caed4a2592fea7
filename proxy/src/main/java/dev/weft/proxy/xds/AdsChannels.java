package dev.weft.proxy.xds;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.function.Function;

/** Opens the gRPC channel to the ADS server a bootstrap's {@code ads_config} names. */
public final class AdsChannels {

    private AdsChannels() {
    }

    /**
     * How the ADS server is reached: an {@code envoy_grpc} service by its static cluster's transport socket (TLS
     * with an UpstreamTlsContext), a {@code google_grpc} one by its channel credentials.
     *
     * @param staticCluster a static cluster of the bootstrap by name, or null when there is none of that name
     * @throws ConfigException when the config names no usable server or TLS that cannot verify it
     */
    public static ControlPlaneTransport transport(ApiConfigSource ads, Function<String, Cluster> staticCluster) {
        GrpcService service = service(ads);
        if (service.hasEnvoyGrpc()) {
            Cluster cluster = staticCluster.apply(service.getEnvoyGrpc().getClusterName());
            return cluster == null || !cluster.hasTransportSocket() ? ControlPlaneTransport.PLAINTEXT
                    : ControlPlaneTransport.of(cluster.getTransportSocket());
        }
        return ControlPlaneTransport.of(service.getGoogleGrpc());
    }

    /**
     * An {@code envoy_grpc} service goes to the first endpoint of the named static cluster, as configured: an IP, or
     * a name the channel resolves (and resolves again when it reconnects) for a DNS cluster; a {@code google_grpc}
     * one goes to its target URI.
     *
     * @param staticCluster a static cluster of the bootstrap by name, or null when there is none of that name
     * @throws ConfigException when the config names no usable server
     */
    public static ManagedChannel open(ApiConfigSource ads, Function<String, Cluster> staticCluster,
            ControlPlaneTransport transport) {
        GrpcService service = service(ads);
        if (service.hasEnvoyGrpc()) {
            String name = service.getEnvoyGrpc().getClusterName();
            Cluster cluster = staticCluster.apply(name);
            List<LbEndpoint> endpoints = cluster == null ? List.of() : cluster.getLoadAssignment().getEndpointsList()
                    .stream().flatMap(l -> l.getLbEndpointsList().stream()).toList();
            if (endpoints.isEmpty()) {
                throw new ConfigException("the xDS cluster " + name + " is not a static cluster with an endpoint");
            }
            Address address = endpoints.getFirst().getEndpoint().getAddress();
            if (!address.hasSocketAddress()) {
                throw new ConfigException("the xDS cluster " + name
                        + "'s endpoint must be an address and port (a pipe is not supported for ADS)");
            }
            SocketAddress socket = address.getSocketAddress();
            return transport.channel(socket.getAddress(), socket.getPortValue());
        }
        return transport.channel(service.getGoogleGrpc().getTargetUri());
    }

    private static GrpcService service(ApiConfigSource ads) {
        if (ads.getGrpcServicesList().isEmpty()) {
            throw new ConfigException("ads_config needs one grpc_services entry");
        }
        GrpcService service = ads.getGrpcServices(0);
        if (!service.hasEnvoyGrpc() && !service.hasGoogleGrpc()) {
            throw new ConfigException("grpc_services needs envoy_grpc or google_grpc");
        }
        return service;
    }
}
