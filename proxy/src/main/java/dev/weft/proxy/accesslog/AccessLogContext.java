package dev.weft.proxy.accesslog;

import dev.weft.proxy.streaminfo.DynamicMetadata;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * What a finished request (or a closed tcp_proxy connection) offers its access log: Envoy's {@code StreamInfo} plus
 * the headers. Read on the request's event loop, when the line is formatted. A fact that does not exist (no
 * upstream host, no response header, any header of a TCP connection) is null.
 */
public interface AccessLogContext {

    Instant startTime();

    /** From the first byte of the request (or the accepted connection) until now. */
    long durationNanos();

    /** A request header by lower-case name; the pseudo-headers {@code :method :path :authority :scheme} too. */
    String requestHeader(String name);

    String responseHeader(String name);

    String responseTrailer(String name);

    /** {@code HTTP/1.1}, {@code HTTP/2}; null for TCP. */
    String protocol();

    /** The status sent downstream, 0 when none was (and always for TCP). */
    int responseCode();

    /** Why the response code is what it is (Envoy's response code details), e.g. {@code via_upstream}. */
    String responseCodeDetails();

    String connectionTerminationDetails();

    String upstreamTransportFailureReason();

    /** {@link dev.weft.proxy.streaminfo.ResponseFlag} bits. */
    int responseFlags();

    long bytesReceived();

    long bytesSent();

    String upstreamHost();

    String upstreamCluster();

    SocketAddress upstreamLocalAddress();

    String routeName();

    /** The client's connection: addresses, original destination, TLS session. */
    Channel downstreamConnection();

    DynamicMetadata dynamicMetadata();
}
