package dev.weft.proxy.xds;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Function;

/** Opens the gRPC channel to the ADS server a bootstrap's {@code ads_config} names. */
public final class AdsChannels {

    private AdsChannels() {
    }

    /**
     * An {@code envoy_grpc} service goes to the first endpoint of the named (static) cluster, a
     * {@code google_grpc} one to its target URI.
     *
     * @param clusterAddress the first endpoint of a cluster, or null when there is no such cluster or endpoint
     * @throws ConfigException when the config names no usable server
     */
    public static ManagedChannel open(ApiConfigSource ads, Function<String, SocketAddress> clusterAddress) {
        if (ads.getGrpcServicesList().isEmpty()) {
            throw new ConfigException("ads_config needs one grpc_services entry");
        }
        var service = ads.getGrpcServices(0);
        if (service.hasEnvoyGrpc()) {
            String cluster = service.getEnvoyGrpc().getClusterName();
            SocketAddress address = clusterAddress.apply(cluster);
            if (address == null) {
                throw new ConfigException("the xDS cluster " + cluster + " is not a static cluster with an endpoint");
            }
            if (!(address instanceof InetSocketAddress inet)) {
                throw new ConfigException("the xDS cluster " + cluster
                        + "'s endpoint must be an IP address and port (a pipe is not supported for ADS)");
            }
            return Grpc.newChannelBuilderForAddress(inet.getHostString(), inet.getPort(),
                    InsecureChannelCredentials.create()).build();
        }
        if (service.hasGoogleGrpc()) {
            return Grpc.newChannelBuilder(service.getGoogleGrpc().getTargetUri(), InsecureChannelCredentials.create())
                    .build();
        }
        throw new ConfigException("grpc_services needs envoy_grpc or google_grpc");
    }
}
