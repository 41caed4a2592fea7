package dev.weft.proxy.transport;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;

/**
 * Builders of the proxy's gRPC channels (ADS, the CA, OTLP, app probes) on grpc-java's Netty transport over the
 * proxy's own Netty, not grpc-netty-shaded: the shaded copy put a second Netty of about 900 classes in every sidecar,
 * and its buffers came from an allocator of its own. Named explicitly rather than found through the service loader,
 * so a class path that also holds the shaded transport (the CLI's) builds the same channels.
 */
public final class GrpcChannels {

    private GrpcChannels() {
    }

    /** A channel builder to {@code host:port}. */
    public static ManagedChannelBuilder<?> forAddress(String host, int port, ChannelCredentials credentials) {
        return shared(NettyChannelBuilder.forAddress(host, port, credentials));
    }

    /** A channel builder to a gRPC target ({@code host:port} or a URI). */
    public static ManagedChannelBuilder<?> forTarget(String target, ChannelCredentials credentials) {
        return shared(NettyChannelBuilder.forTarget(target, credentials));
    }

    private static NettyChannelBuilder shared(NettyChannelBuilder builder) {
        return builder.withOption(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT);
    }
}
