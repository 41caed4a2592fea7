package dev.weft.proxy.filter.extauthz;

import dev.weft.testing.upstream.FakeResponse;
import dev.weft.testing.upstream.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Istio's samples/extauthz server, as an HTTP responder for a fake upstream: it allows a request that carries
 * {@code x-ext-authz: allow} and denies any other with 403, and says which in {@code x-ext-authz-check-result}.
 * For the failure tests, {@code x-ext-authz: slow} answers after 5 s and {@code x-ext-authz: broken} with 500.
 */
final class SampleAuthz {

    static final String DENIED_BODY = "denied by ext_authz for not found header `x-ext-authz: allow` in the request";

    private SampleAuthz() {
    }

    static FakeResponse http(RecordedRequest check) {
        String verdict = check.header("x-ext-authz");
        if ("allow".equals(verdict)) {
            return new FakeResponse(200, Map.of("x-ext-authz-check-result", "allowed"), new byte[0], Duration.ZERO);
        }
        if ("slow".equals(verdict)) {
            return new FakeResponse(200, Map.of(), new byte[0], Duration.ofSeconds(5));
        }
        if ("broken".equals(verdict)) {
            return FakeResponse.of(500, "oops");
        }
        return new FakeResponse(403, Map.of("x-ext-authz-check-result", "denied", "set-cookie", "a=b",
                "x-internal", "secret"), DENIED_BODY.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }
}
