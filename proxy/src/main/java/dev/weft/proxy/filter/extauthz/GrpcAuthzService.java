package dev.weft.proxy.filter.extauthz;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.worker.WorkerContext;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ext_authz's {@code grpc_service} ({@code envoy_grpc}): {@code envoy.service.auth.v3.Authorization/Check} as one
 * HTTP/2 stream through the proxy's own upstream connections to the cluster (its load balancing, pools and TLS),
 * framed by hand, so no second gRPC stack and no thread leaves the event loop. The request carries the source and
 * destination (address, the source's mTLS principal) and the HTTP request: method, path, host, scheme, protocol,
 * the headers ({@code allowed_headers} selects, all by default, pseudo-headers included) and the buffered body.
 * A CheckResponse with status OK allows ({@code ok_response} headers set, or appended with {@code append: true},
 * removed, and added to the response); any other status denies with {@code denied_response} (403 by default). A
 * gRPC error, a reset or the timeout is an error.
 */
final class GrpcAuthzService implements AuthzService {

    private static final String CHECK_PATH = "/envoy.service.auth.v3.Authorization/Check";

    record Settings(String cluster, String authority, Duration timeout, HeaderNames allowedHeaders,
            HeaderNames disallowedHeaders, boolean packAsBytes) {
    }

    private final Settings settings;

    GrpcAuthzService(Settings settings) {
        this.settings = settings;
    }

    @Override
    public AuthzCall check(StreamFilterCallbacks stream, ByteBuf body, Consumer<AuthzResult> done) {
        return send(checkRequest(stream, body), stream.snapshot(), stream.worker(), done);
    }

    /**
     * Checks a connection (the network ext_authz filter): the CheckRequest has its source and destination only;
     * {@code done} hears the decision once, on {@code worker}'s event loop.
     */
    AuthzCall checkConnection(InetSocketAddress source, String sourcePrincipal, InetSocketAddress destination,
            WorkerContext worker, Consumer<AuthzResult> done) {
        AttributeContext.Peer.Builder from = peer(source);
        if (sourcePrincipal != null) {
            from.setPrincipal(sourcePrincipal);
        }
        CheckRequest check = CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setSource(from).setDestination(peer(destination))).build();
        return send(check, worker.snapshots().get(), worker, done);
    }

    private AuthzCall send(CheckRequest check, ProxySnapshot snapshot, WorkerContext worker,
            Consumer<AuthzResult> done) {
        byte[] message = check.toByteArray();
        ByteBuf framed = Unpooled.buffer(5 + message.length).writeByte(0).writeInt(message.length).writeBytes(message);
        FullHttpRequest call = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, CHECK_PATH, framed);
        call.headers().set(HttpHeaderNames.HOST, settings.authority());
        call.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        call.headers().set(HttpHeaderNames.TE, "trailers");
        call.headers().set("grpc-timeout", Math.max(1, settings.timeout().toMillis()) + "m");
        return AuthzCall.start(snapshot, worker, settings.cluster(), true, call, settings.timeout(),
                reply -> done.accept(decide(reply)));
    }

    private CheckRequest checkRequest(StreamFilterCallbacks stream, ByteBuf body) {
        HttpRequest request = stream.request();
        AttributeContext.HttpRequest.Builder http = AttributeContext.HttpRequest.newBuilder()
                .setMethod(request.method().name())
                .setPath(request.uri())
                .setHost(nonNull(request.headers().get(HttpHeaderNames.HOST)))
                .setScheme(stream.routeRequest().scheme())
                .setProtocol(stream.isHttp2() ? "HTTP/2" : request.protocolVersion().text())
                .setId(nonNull(request.headers().get("x-request-id")))
                .putAllHeaders(headers(stream));
        long size = stream.requestHasBody() ? Math.max(-1, HttpUtil.getContentLength(request, -1L)) : 0;
        http.setSize(size);
        if (body != null) {
            byte[] bytes = new byte[body.readableBytes()];
            body.readBytes(bytes);
            body.release();
            if (settings.packAsBytes()) {
                http.setRawBody(ByteString.copyFrom(bytes));
            } else {
                http.setBody(new String(bytes, StandardCharsets.UTF_8));
            }
        }
        Instant now = stream.worker().clock().instant();
        AttributeContext.Peer.Builder source = peer(stream.remoteAddress());
        if (stream.peerPrincipal() != null) {
            source.setPrincipal(stream.peerPrincipal());
        }
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setSource(source)
                .setDestination(peer(stream.destinationAddress()))
                .setRequest(AttributeContext.Request.newBuilder()
                        .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                        .setHttp(http))).build();
    }

    /** The request's headers by lower-case name (values of a repeated header comma-joined), pseudo-headers first. */
    private Map<String, String> headers(StreamFilterCallbacks stream) {
        HttpRequest request = stream.request();
        Map<String, String> all = new LinkedHashMap<>();
        all.put(":authority", nonNull(request.headers().get(HttpHeaderNames.HOST)));
        all.put(":method", request.method().name());
        all.put(":path", request.uri());
        all.put(":scheme", stream.routeRequest().scheme());
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith("x-http2-") && !name.equals("host")) {
                all.merge(name, h.getValue(), (a, b) -> a + "," + b);
            }
        }
        all.keySet().removeIf(name -> (settings.allowedHeaders() != null && !settings.allowedHeaders().matches(name))
                || (settings.disallowedHeaders() != null && settings.disallowedHeaders().matches(name)));
        return all;
    }

    private static AttributeContext.Peer.Builder peer(InetSocketAddress address) {
        AttributeContext.Peer.Builder peer = AttributeContext.Peer.newBuilder();
        if (address != null) {
            peer.setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                    .setAddress(address.getAddress().getHostAddress()).setPortValue(address.getPort())));
        }
        return peer;
    }

    private static AuthzResult decide(AuthzCall.Reply reply) {
        if (reply == null) {
            return new AuthzResult.Error();
        }
        String grpcStatus = reply.trailers().get("grpc-status", reply.head().headers().get("grpc-status"));
        byte[] body = reply.body();
        if (!"0".equals(grpcStatus) || body.length < 5 || body[0] != 0) {
            return new AuthzResult.Error();
        }
        CheckResponse response;
        try {
            response = CheckResponse.parseFrom(Arrays.copyOfRange(body, 5, body.length));
        } catch (InvalidProtocolBufferException e) {
            return new AuthzResult.Error();
        }
        if (response.getStatus().getCode() == 0) {
            var ok = response.getOkResponse();
            HttpHeaders set = new DefaultHttpHeaders();
            HttpHeaders append = new DefaultHttpHeaders();
            for (HeaderValueOption h : ok.getHeadersList()) {
                (h.hasAppend() && h.getAppend().getValue() ? append : set).add(h.getHeader().getKey(),
                        h.getHeader().getValue());
            }
            return new AuthzResult.Ok(set, append, List.copyOf(ok.getHeadersToRemoveList()),
                    headers(ok.getResponseHeadersToAddList()));
        }
        var denied = response.getDeniedResponse();
        int status = denied.getStatus().getCodeValue() == 0 ? 403 : denied.getStatus().getCodeValue();
        return new AuthzResult.Denied(status, headers(denied.getHeadersList()),
                denied.getBody().getBytes(StandardCharsets.UTF_8));
    }

    private static HttpHeaders headers(List<HeaderValueOption> options) {
        HttpHeaders out = new DefaultHttpHeaders();
        options.forEach(h -> out.add(h.getHeader().getKey(), h.getHeader().getValue()));
        return out;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
