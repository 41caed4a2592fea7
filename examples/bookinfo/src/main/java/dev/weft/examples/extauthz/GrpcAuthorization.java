package dev.weft.examples.extauthz;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The sample's gRPC authorization service ({@code envoy.service.auth.v3.Authorization/Check}, h2c): OK with the
 * verdict headers for the upstream request, or PERMISSION_DENIED with a 403 denied response carrying them and
 * {@link ExtAuthz#DENIED_BODY}.
 */
final class GrpcAuthorization extends AuthorizationGrpc.AuthorizationImplBase implements AutoCloseable {

    private final Server server;

    private GrpcAuthorization(String host, int port) {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port)).addService(this).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(ExtAuthz.NAME + " cannot listen on " + host + ":" + port + " for gRPC: "
                    + e.getMessage(), e);
        }
    }

    static GrpcAuthorization start(String host, int port) {
        return new GrpcAuthorization(host, port);
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void check(CheckRequest request, StreamObserver<CheckResponse> response) {
        Map<String, String> headers = request.getAttributes().getRequest().getHttp().getHeadersMap();
        ExtAuthz.Verdict verdict = ExtAuthz.Verdict.of(Optional.ofNullable(headers.get(ExtAuthz.CHECK_HEADER)),
                Optional.ofNullable(headers.get(ExtAuthz.OVERRIDE_HEADER)));
        List<HeaderValueOption> answer = List.of(header(ExtAuthz.RESULT_HEADER, verdict.result()),
                header(ExtAuthz.OVERRIDE_HEADER, verdict.override()));
        CheckResponse.Builder check = CheckResponse.newBuilder();
        if (verdict.allowed()) {
            check.setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
                    .setOkResponse(OkHttpResponse.newBuilder().addAllHeaders(answer));
        } else {
            check.setStatus(Status.newBuilder().setCode(Code.PERMISSION_DENIED_VALUE))
                    .setDeniedResponse(DeniedHttpResponse.newBuilder()
                            .setStatus(HttpStatus.newBuilder().setCode(StatusCode.Forbidden))
                            .addAllHeaders(answer)
                            .setBody(ExtAuthz.DENIED_BODY));
        }
        response.onNext(check.build());
        response.onCompleted();
    }

    private static HeaderValueOption header(String name, String value) {
        return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(name).setValue(value)).build();
    }

    @Override
    public void close() {
        try {
            server.shutdown().awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdownNow();
    }
}
