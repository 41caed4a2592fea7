package dev.weft.examples.extauthz;

import dev.weft.examples.app.AppMain;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.HttpApp;
import dev.weft.examples.app.ListenAddress;
import dev.weft.examples.app.Request;
import dev.weft.examples.app.Response;
import dev.weft.examples.app.RunningApp;
import dev.weft.examples.app.Routes;
import java.util.Optional;

/**
 * Istio's sample external authorizer (samples/extauthz), as its CUSTOM authorization task uses it: Envoy's HTTP
 * authorization service on the app port (8000) and its gRPC {@code envoy.service.auth.v3.Authorization} on
 * {@code GRPC_PORT} (9000). A request carrying {@code x-ext-authz: allow} is allowed, any other is denied with 403
 * and {@link #DENIED_BODY}; both answers say which in {@code x-ext-authz-check-result} and echo the request's
 * {@code x-ext-authz-additional-header-override}.
 */
public final class ExtAuthz {
    public static final String NAME = "ext-authz";
    static final String CHECK_HEADER = "x-ext-authz";
    static final String ALLOWED_VALUE = "allow";
    static final String RESULT_HEADER = "x-ext-authz-check-result";
    static final String OVERRIDE_HEADER = "x-ext-authz-additional-header-override";
    static final String DENIED_BODY = "denied by ext_authz for not found header `" + CHECK_HEADER + ": "
            + ALLOWED_VALUE + "` in the request";

    /**
     * @param listen   the HTTP authorization service, env {@code BIND}/{@code PORT} (default 8000)
     * @param grpcPort the gRPC authorization service on the same address, env {@code GRPC_PORT} (default 9000)
     */
    public record Config(ListenAddress listen, int grpcPort) {
        public static Config fromEnv(Env env) {
            return new Config(ListenAddress.fromEnv(env, 8000), env.port("GRPC_PORT", 9000));
        }
    }

    /** The verdict on a request, from its {@code x-ext-authz} header. */
    record Verdict(boolean allowed, String override) {
        static Verdict of(Optional<String> check, Optional<String> override) {
            return new Verdict(check.filter(ALLOWED_VALUE::equals).isPresent(), override.orElse(""));
        }

        String result() {
            return allowed ? "allowed" : "denied";
        }
    }

    private ExtAuthz() {
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, AppMain.fromEnv(Config::fromEnv), ExtAuthz::start);
    }

    public static RunningApp start(Config config) {
        GrpcAuthorization grpc = GrpcAuthorization.start(config.listen().host(), config.grpcPort());
        System.out.println(NAME + " gRPC listening on " + config.listen().host() + ":" + grpc.port());
        Routes routes = Routes.builder().anyMethod("*", ExtAuthz::check).build();
        return HttpApp.start(NAME, config.listen(), routes, grpc);
    }

    /** Envoy's HTTP authorization service: any method and path is a check of that request. */
    private static Response check(Request request) {
        Verdict verdict = Verdict.of(request.header(CHECK_HEADER), request.header(OVERRIDE_HEADER));
        Response response = verdict.allowed() ? Response.empty(200) : Response.text(403, DENIED_BODY);
        return response.withHeader(RESULT_HEADER, verdict.result()).withHeader(OVERRIDE_HEADER, verdict.override());
    }
}
