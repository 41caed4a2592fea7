package dev.weft.proxy.transport;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/** The state of an HTTP/2 connection, as both ends of the proxy keep it. */
public final class Http2Connections {

    private Http2Connections() {
    }

    /**
     * A connection whose send window is shared evenly among the streams with data to send. Envoy ignores HTTP/2
     * priorities too (RFC 9113 deprecated them), and Netty's default weighted fair queue took about 8 % of a gRPC
     * call's CPU in the proxy to order streams by weights nobody sets.
     */
    public static Http2Connection create(boolean server) {
        Http2Connection connection = new DefaultHttp2Connection(server);
        connection.remote().flowController(
                new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
        return connection;
    }
}
