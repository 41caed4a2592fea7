package dev.weft.examples.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.fixture.Http;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Istio's sample external authorizer: both services allow only {@code x-ext-authz: allow}. */
class ExtAuthzTest {

    private static final String DENIED = "denied by ext_authz for not found header `x-ext-authz: allow` in the request";

    @Test
    void portsAreIstiosSample() {
        ExtAuthz.Config config = ExtAuthz.Config.fromEnv(Env.of(Map.of()));
        assertThat(config.listen().port()).isEqualTo(8000);
        assertThat(config.grpcPort()).isEqualTo(9000);
    }

    @Test
    void theHttpServiceAllowsOnlyTheAllowHeaderAtAnyPath() {
        try (RunningApp app = ExtAuthz.start(ExtAuthz.Config.fromEnv(Env.of(Map.of("PORT", "0", "GRPC_PORT", "0"))))) {
            HttpResponse<String> allowed = Http.get(app.baseUri().resolve("/headers"), "x-ext-authz", "allow",
                    "x-ext-authz-additional-header-override", "mine");
            HttpResponse<String> denied = Http.get(app.baseUri().resolve("/anything/else"), "x-ext-authz", "deny");
            HttpResponse<String> none = Http.get(app.baseUri().resolve("/ip"));

            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("x-ext-authz-check-result")).contains("allowed");
            assertThat(allowed.headers().firstValue("x-ext-authz-additional-header-override")).contains("mine");
            for (HttpResponse<String> refused : List.of(denied, none)) {
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).isEqualTo(DENIED);
                assertThat(refused.headers().firstValue("x-ext-authz-check-result")).contains("denied");
            }
        }
    }

    @Test
    void theGrpcServiceAnswersOkOrPermissionDeniedWithA403() throws InterruptedException {
        try (GrpcAuthorization grpc = GrpcAuthorization.start("127.0.0.1", 0)) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpc.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                var stub = AuthorizationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
                CheckResponse allowed = stub.check(check(Map.of("x-ext-authz", "allow", ":path", "/headers")));
                CheckResponse denied = stub.check(check(Map.of("x-ext-authz", "deny",
                        "x-ext-authz-additional-header-override", "theirs")));

                assertThat(allowed.getStatus().getCode()).isEqualTo(Code.OK_VALUE);
                assertThat(headers(allowed.getOkResponse().getHeadersList()))
                        .containsEntry("x-ext-authz-check-result", "allowed");
                assertThat(denied.getStatus().getCode()).isEqualTo(Code.PERMISSION_DENIED_VALUE);
                assertThat(denied.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
                assertThat(denied.getDeniedResponse().getBody()).isEqualTo(DENIED);
                assertThat(headers(denied.getDeniedResponse().getHeadersList()))
                        .containsEntry("x-ext-authz-check-result", "denied")
                        .containsEntry("x-ext-authz-additional-header-override", "theirs");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static CheckRequest check(Map<String, String> headers) {
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder().setRequest(
                AttributeContext.Request.newBuilder().setHttp(
                        AttributeContext.HttpRequest.newBuilder().putAllHeaders(headers)))).build();
    }

    private static Map<String, String> headers(List<HeaderValueOption> options) {
        return options.stream().collect(Collectors.toMap(o -> o.getHeader().getKey(),
                o -> o.getHeader().getValue()));
    }
}
