package dev.weft.proxy.filter.extauthz;

import com.google.protobuf.BoolValue;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Istio's samples/extauthz gRPC server (envoy.service.auth.v3.Authorization) on a real loopback port: OK with
 * {@code x-ext-authz-check-result: allowed} for a request with {@code x-ext-authz: allow}, else PERMISSION_DENIED
 * with a 403 denied_response. {@code x-ext-authz: hang} is never answered. A connection (a check without an HTTP
 * request, from the network filter) is allowed only when {@link #allowConnections} says so. Every CheckRequest is
 * kept.
 */
final class SampleGrpcAuthzServer implements AutoCloseable {

    private final List<CheckRequest> checks = new CopyOnWriteArrayList<>();
    private final Server server;
    private volatile boolean connectionsAllowed;

    SampleGrpcAuthzServer() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new AuthorizationGrpc.AuthorizationImplBase() {
                        @Override
                        public void check(CheckRequest request, StreamObserver<CheckResponse> response) {
                            checks.add(request);
                            String verdict = request.getAttributes().getRequest().hasHttp()
                                    ? request.getAttributes().getRequest().getHttp().getHeadersMap().get("x-ext-authz")
                                    : connectionsAllowed ? "allow" : "deny";
                            if ("hang".equals(verdict)) {
                                return;
                            }
                            response.onNext("allow".equals(verdict) ? allowed() : denied());
                            response.onCompleted();
                        }
                    }).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void allowConnections(boolean allowed) {
        connectionsAllowed = allowed;
    }

    int port() {
        return server.getPort();
    }

    List<CheckRequest> checks() {
        return checks;
    }

    private static HeaderValueOption header(String name, String value) {
        return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppend(BoolValue.of(false)).build();
    }

    private static CheckResponse allowed() {
        return CheckResponse.newBuilder().setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
                .setOkResponse(OkHttpResponse.newBuilder().addHeaders(header("x-ext-authz-check-result", "allowed"))
                        .addHeadersToRemove("x-ext-authz")
                        .addResponseHeadersToAdd(header("x-authz-said", "ok")))
                .build();
    }

    private static CheckResponse denied() {
        return CheckResponse.newBuilder().setStatus(Status.newBuilder().setCode(Code.PERMISSION_DENIED_VALUE))
                .setDeniedResponse(DeniedHttpResponse.newBuilder()
                        .setStatus(HttpStatus.newBuilder().setCode(StatusCode.Forbidden))
                        .addHeaders(header("x-ext-authz-check-result", "denied"))
                        .setBody(SampleAuthz.DENIED_BODY))
                .build();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
