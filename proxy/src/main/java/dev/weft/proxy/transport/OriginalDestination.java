package dev.weft.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The address a client meant to reach before iptables redirected it to us: SO_ORIGINAL_DST (SOL_IP, 80) on the
 * epoll transport, else the local address (TPROXY, or no redirection at all).
 */
public final class OriginalDestination {

    /** Set on accepted connections of listeners that use the original destination. */
    public static final AttributeKey<InetSocketAddress> ATTRIBUTE = AttributeKey.valueOf("weft.originalDestination");

    private static final RawUnixChannelOption SO_ORIGINAL_DST = new RawUnixChannelOption("SO_ORIGINAL_DST", 0, 80, 16);

    private OriginalDestination() {
    }

    /**
     * Where an accepted connection's client connected to: the original destination its listener recorded, else the
     * local address.
     */
    public static InetSocketAddress destination(Channel accepted) {
        InetSocketAddress original = accepted.attr(ATTRIBUTE).get();
        return original != null ? original
                : accepted.localAddress() instanceof InetSocketAddress local ? local : null;
    }

    public static InetSocketAddress of(Channel ch) {
        try {
            ByteBuffer raw = ch.config().getOption(SO_ORIGINAL_DST);
            if (raw != null && raw.remaining() >= 8) {
                InetSocketAddress parsed = parseSockaddrIn(raw);
                if (parsed != null) {
                    return parsed;
                }
            }
        } catch (RuntimeException notRedirected) {
            // No iptables REDIRECT (or not epoll): the local address is the destination.
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** struct sockaddr_in: family (host order), port (network order), IPv4 address. */
    static InetSocketAddress parseSockaddrIn(ByteBuffer raw) {
        ByteBuffer b = raw.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = b.position();
        int family = Short.toUnsignedInt(b.duplicate().order(ByteOrder.nativeOrder()).getShort(start));
        if (family != 2) {
            return null;
        }
        int port = Short.toUnsignedInt(b.getShort(start + 2));
        byte[] ip = new byte[4];
        for (int i = 0; i < 4; i++) {
            ip[i] = b.get(start + 4 + i);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
