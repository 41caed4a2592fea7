package dev.weft.proxy.filter;

import dev.weft.proxy.router.Route;
import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.VirtualHost;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import dev.weft.proxy.streaminfo.ResponseFlag;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * What a filter may see and do on its request, and all it knows of the connection manager: Envoy's
 * {@code StreamDecoderFilterCallbacks} and {@code StreamEncoderFilterCallbacks} in one. Every call happens on the
 * request's event loop.
 */
public interface StreamFilterCallbacks {

    /** What the terminal filter wants to hear about the downstream side while it streams. */
    interface DownstreamListener {
        void onDownstreamWritable(boolean writable);

        void onDownstreamReset();
    }

    HttpRequest request();

    RouteRequest routeRequest();

    /** The route the request matched, or null. */
    Route route();

    VirtualHost virtualHost();

    RouteTable routeTable();

    /** The config the request started with; it keeps using it even if a newer one arrives. */
    ProxySnapshot snapshot();

    WorkerContext worker();

    EventLoop eventLoop();

    boolean isHttp2();

    /** Whether this is a WebSocket upgrade request the connection manager allows. */
    boolean isWebSocketUpgrade();

    /** Whether the request carries a body (chunked, a content length, or an HTTP/2 stream left open). */
    boolean requestHasBody();

    boolean requestComplete();

    boolean responseStarted();

    InetSocketAddress remoteAddress();

    /** The connection's destination before redirection, when its listener uses the original destination. */
    InetSocketAddress originalDestination();

    /** Where the client connected to: the original destination if the listener has one, else the local address. */
    InetSocketAddress destinationAddress();

    /** The verified peer certificate's principal (its URI SAN, a SPIFFE ID in a mesh), or null without one. */
    String peerPrincipal();

    /** The server name (SNI) of a TLS connection, or null. */
    String requestedServerName();

    /**
     * This request's dynamic metadata: what filters tell later filters (jwt_authn's verified payload for rbac, RBAC's
     * shadow result for ext_authz).
     */
    DynamicMetadata dynamicMetadata();

    /** Runs the next filters after this one returned {@link FilterStatus#STOP}. */
    void resume();

    /**
     * Answers locally, or resets the stream when response headers already went out. {@code details} is Envoy's
     * response code details for the access log ({@code %RESPONSE_CODE_DETAILS%}): see
     * {@link dev.weft.proxy.streaminfo.ResponseCodeDetails}.
     */
    void sendLocalReply(int status, String body, ResponseFlag flag, String details);

    /** Answers a gRPC request locally: HTTP 200 with the given grpc-status, trailers-only. */
    void sendGrpcLocalReply(int grpcStatus, String message, ResponseFlag flag, String details);

    /** The response code details of a response a filter sends itself with {@link #sendResponseHeaders}. */
    void setResponseCodeDetails(String details);

    /**
     * Marks this request's answer as an authorization denial (RBAC, ext_authz, jwt_authn). With the runtime key
     * {@code weft.debug.denial_header} set to {@code true}, its response names the details in {@code x-weft-denied-by}.
     */
    void markDenial();

    /** Sends response headers downstream after header mutations and filters' response hooks. */
    void sendResponseHeaders(HttpResponse response);

    /** Sends a body chunk downstream; a last chunk ends the response (and may carry trailers). */
    void sendResponseContent(HttpContent content);

    /** Aborts the downstream stream: closes an HTTP/1 connection or resets an HTTP/2 stream. */
    void resetDownstream();

    /** Sends the upstream's 101 downstream, then turns both connections into a byte tunnel. */
    void upgradeTo(HttpResponse switching, Channel upstream);

    void addFlag(ResponseFlag flag);

    /** The upstream host for the access log. */
    void setUpstreamHost(String host);

    /** The cluster the request was routed to, for the access log. */
    void setUpstreamCluster(String cluster);

    /** The local address of the upstream connection the request went out on, for the access log. */
    void setUpstreamLocalAddress(SocketAddress address);

    /** Why the upstream connection's transport (TLS) failed, for the access log. */
    void setUpstreamTransportFailureReason(String reason);

    /**
     * Calls {@code ready} with a copy of the request body's first {@code maxBytes} once that much arrived or the body
     * ended (empty without a body). The body itself stays where it is and still goes to the terminal filter.
     */
    void peekRequestBody(int maxBytes, Consumer<ByteBuf> ready);

    /** Attaches the consumer of the request body; content that already arrived is delivered first. */
    void setRequestBodyConsumer(Consumer<HttpContent> consumer);

    void pauseRequestBody();

    void resumeRequestBody();

    void setDownstreamListener(DownstreamListener listener);

    boolean downstreamWritable();
}
