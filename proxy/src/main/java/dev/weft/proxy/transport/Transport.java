package dev.weft.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The socket implementation: native epoll when it loads on this machine, Java NIO otherwise. Both reach Unix domain
 * sockets (pipe endpoints): epoll with its own channel and address type, NIO with the JDK's
 * {@link UnixDomainSocketAddress}.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> clientChannel, Class<? extends Channel> domainSocketChannel) {

    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class, EpollDomainSocketChannel.class);
        }
        return nio();
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class,
                NioDomainSocketChannel.class);
    }

    /** The channel type that connects to {@code address}. */
    public Class<? extends Channel> channelFor(SocketAddress address) {
        return address instanceof UnixDomainSocketAddress ? domainSocketChannel : clientChannel;
    }

    /** {@code address} as this transport's channels take it. */
    public SocketAddress connectAddress(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress pipe && domainSocketChannel == EpollDomainSocketChannel.class) {
            return new DomainSocketAddress(pipe.getPath().toString());
        }
        return address;
    }

    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
