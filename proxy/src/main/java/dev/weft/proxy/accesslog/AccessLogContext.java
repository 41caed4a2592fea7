package dev.weft.proxy.accesslog;

import dev.weft.proxy.streaminfo.DynamicMetadata;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * What a finished request (or a closed tcp_proxy connection) offers its access log: Envoy's {@code StreamInfo} plus
 * the headers. Read on the request's event loop, when the line is formatted. A fact that does not exist (no
 * upstream host, no response header) is null; the request's facts default to none, as a TCP connection has no
 * request.
 */
public interface AccessLogContext {

    Instant startTime();

    /** From the first byte of the request (or the accepted connection) until now. */
    long durationNanos();

    /** A request header by lower-case name; the pseudo-headers {@code :method :path :authority :scheme} too. */
    default String requestHeader(String name) {
        return null;
    }

    default String responseHeader(String name) {
        return null;
    }

    default String responseTrailer(String name) {
        return null;
    }

    /** {@code HTTP/1.1}, {@code HTTP/2}. */
    default String protocol() {
        return null;
    }

    /** The status sent downstream, 0 when none was. */
    default int responseCode() {
        return 0;
    }

    /** Why the response code is what it is (Envoy's response code details), e.g. {@code via_upstream}. */
    default String responseCodeDetails() {
        return null;
    }

    default String connectionTerminationDetails() {
        return null;
    }

    default String upstreamTransportFailureReason() {
        return null;
    }

    /** {@link dev.weft.proxy.streaminfo.ResponseFlag} bits. */
    int responseFlags();

    long bytesReceived();

    long bytesSent();

    String upstreamHost();

    /** Whether the request was gRPC (by its content type). */
    default boolean isGrpc() {
        return false;
    }

    /** gRPC messages the client sent (Istio's request_messages_total); 0 for other requests. */
    default long grpcRequestMessages() {
        return 0;
    }

    /** gRPC messages sent back to the client. */
    default long grpcResponseMessages() {
        return 0;
    }

    String upstreamCluster();

    SocketAddress upstreamLocalAddress();

    default String routeName() {
        return null;
    }

    /** The client's connection: addresses, original destination, TLS session. */
    Channel downstreamConnection();

    DynamicMetadata dynamicMetadata();
}
