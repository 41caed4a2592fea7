package dev.weft.proxy.http;

import dev.weft.proxy.streaminfo.ResponseFlag;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The responses the proxy makes itself (Envoy's local replies): a status with a short text/plain body, or for a
 * gRPC request a trailers-only 200 whose grpc-status is mapped from the HTTP status and the response flags, so a
 * gRPC client sees a gRPC error rather than a protocol error.
 */
final class LocalReply {

    private LocalReply() {
    }

    /** Whether a request is gRPC, by its content type, as Envoy's {@code Grpc::Common::isGrpcRequestHeaders}. */
    static boolean isGrpc(HttpRequest request) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return contentType != null && contentType.startsWith("application/grpc");
    }

    /** The reply to {@code request}; {@code flags} are the exchange's response flags so far. */
    static FullHttpResponse to(HttpRequest request, int status, String body, int flags) {
        FullHttpResponse response;
        if (isGrpc(request)) {
            response = grpc(GrpcStatus.fromHttp(status, flags), body);
        } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                    Unpooled.wrappedBuffer(bytes));
            if (bytes.length > 0) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            }
        }
        if ((flags & ResponseFlag.UPSTREAM_OVERFLOW.bit()) != 0) {
            // Envoy marks requests dropped by circuit breaking, so callers know not to retry at once.
            response.headers().set("x-envoy-overloaded", "true");
        }
        return response;
    }

    /** A trailers-only gRPC answer: HTTP 200 with the status and message as headers. */
    static FullHttpResponse grpc(String grpcStatus, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        response.headers().set("grpc-status", grpcStatus);
        response.headers().set("grpc-message", message);
        return response;
    }
}
