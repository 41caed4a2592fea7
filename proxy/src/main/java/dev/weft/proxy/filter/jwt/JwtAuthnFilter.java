package dev.weft.proxy.filter.jwt;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import com.nimbusds.jose.jwk.JWKSet;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.router.RouteRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Envoy's {@code jwt_authn} on one request: the first rule whose match selects the request gives the requirement;
 * remote keys the request's tokens need are fetched first (the request waits); then the tokens are verified. A
 * request that fails its requirement is answered 401 (403 for an audience mismatch) with Envoy's text and a
 * {@code www-authenticate: Bearer realm="<uri>"} (with {@code error="invalid_token"} unless the token is missing);
 * one that passes carries what its verified tokens leave (headers, dynamic metadata).
 */
final class JwtAuthnFilter implements HttpFilter {

    record Stats(LongAdder allowed, LongAdder denied, LongAdder corsPreflightBypassed) {
    }

    private final Map<String, JwtProvider> providers;
    private final List<JwtRule> rules;
    private final boolean bypassCorsPreflight;
    private final Stats stats;
    private String challenge;
    private boolean complete;

    JwtAuthnFilter(Map<String, JwtProvider> providers, List<JwtRule> rules, boolean bypassCorsPreflight, Stats stats) {
        this.providers = providers;
        this.rules = rules;
        this.bypassCorsPreflight = bypassCorsPreflight;
        this.stats = stats;
    }

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks stream) {
        RouteRequest request = stream.routeRequest();
        if (bypassCorsPreflight && isCorsPreflight(request)) {
            stats.corsPreflightBypassed().increment();
            return FilterStatus.CONTINUE;
        }
        JwtRequirement requirement = null;
        for (JwtRule rule : rules) {
            if (rule.match().matches(request)) {
                requirement = rule.requirement();
                break;
            }
        }
        if (requirement == null) {
            return FilterStatus.CONTINUE;
        }
        long nowNanos = stream.worker().ticker().nanos();
        RequestVerification verification = new RequestVerification(providers, request,
                stream.worker().clock().instant(), nowNanos);
        List<CompletableFuture<JWKSet>> fetches = new ArrayList<>();
        for (String name : requirement.providers()) {
            JwtProvider provider = providers.get(name);
            if (provider.keys() instanceof JwksSource.Remote remote && remote.keys(nowNanos) == null
                    && !verification.tokens(name).isEmpty()) {
                fetches.add(remote.fetch(stream));
            }
        }
        if (fetches.isEmpty()) {
            return decide(stream, requirement, verification);
        }
        JwtRequirement waiting = requirement;
        CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).whenComplete((done, failure) ->
                stream.eventLoop().execute(() -> {
                    // A failed fetch leaves its provider without keys: its tokens fail as JWKS_FETCH_FAILED.
                    if (!complete && decide(stream, waiting, verification) == FilterStatus.CONTINUE) {
                        stream.resume();
                    }
                }));
        return FilterStatus.STOP;
    }

    private FilterStatus decide(StreamFilterCallbacks stream, JwtRequirement requirement,
            RequestVerification verification) {
        JwtStatus status = requirement.evaluate(verification);
        if (status == JwtStatus.OK) {
            stats.allowed().increment();
            TokenOutputs.apply(verification.verified(), stream.routeRequest(), stream.dynamicMetadata());
            return FilterStatus.CONTINUE;
        }
        stats.denied().increment();
        RouteRequest request = stream.routeRequest();
        String realm = request.scheme() + "://" + request.headers().get(HttpHeaderNames.HOST) + request.path();
        challenge = "Bearer realm=\"" + realm + "\"" + (status == JwtStatus.MISSING ? "" : ", error=\"invalid_token\"");
        stream.markDenial();
        stream.sendLocalReply(status.httpStatus(), status.message(), null,
                ResponseCodeDetails.jwtDenied(status.message()));
        return FilterStatus.STOP;
    }

    private static boolean isCorsPreflight(RouteRequest request) {
        return HttpMethod.OPTIONS.name().equals(request.method())
                && request.headers().contains(HttpHeaderNames.ORIGIN)
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    @Override
    public void onResponseHeaders(StreamFilterCallbacks stream, HttpResponse response) {
        if (challenge != null) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        }
    }

    @Override
    public void onComplete(StreamFilterCallbacks stream) {
        complete = true;
    }
}
