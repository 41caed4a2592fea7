package dev.weft.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * A validated upstream network filter of a cluster (Envoy's {@code Cluster.filters}): it makes one handler per
 * upstream connection of a tcp_proxy, placed after TLS and before the relay, so it sees the upstream's decrypted
 * bytes first and may write its own before any of the client's. HTTP pools do not run them.
 */
@FunctionalInterface
public interface UpstreamNetworkFilter {

    /** A handler for one upstream connection made for {@code downstream}. */
    ChannelHandler create(Channel downstream);
}
