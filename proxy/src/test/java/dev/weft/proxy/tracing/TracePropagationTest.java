package dev.weft.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.RecordedRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a traced proxy hands its upstream, for each form of incoming trace context and sampling decision. */
class TracePropagationTest {

    private static final String HEX16 = "[0-9a-f]{16}";
    private static final String HEX32 = "[0-9a-f]{32}";

    private final FakeHttpUpstream app = FakeHttpUpstream.start("app");
    private ProxyHarness proxy;

    @AfterEach
    void close() {
        stopProxy();
        app.close();
    }

    private void stopProxy() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    /** An inbound sidecar with the given sampling, whose collector port is closed (spans are not the point here). */
    private RecordedRequest forward(double sampling, String... headers) {
        proxy = ProxyHarness.start(TracingBootstraps.sidecar("reviews", "INBOUND", sampling, app.port(), 1));
        HttpResponse<String> response = proxy.get("/reviews/0", headers);
        assertThat(response.statusCode()).isEqualTo(200);
        return app.requests().getLast();
    }

    @Test
    void startsA128BitTraceWhenTheCallerSentNone() {
        RecordedRequest upstream = forward(100);

        assertThat(upstream.header("x-b3-traceid")).matches(HEX32);
        assertThat(upstream.header("x-b3-spanid")).matches(HEX16);
        assertThat(upstream.header("x-b3-parentspanid")).isNull();
        assertThat(upstream.header("x-b3-sampled")).isEqualTo("1");
        assertThat(upstream.header("x-request-id")).isNotNull();
        assertThat(upstream.header("traceparent")).isEqualTo("00-" + upstream.header("x-b3-traceid") + "-"
                + upstream.header("x-b3-spanid") + "-01");
    }

    @Test
    void continuesB3MultiHeaderAsAChildSpan() {
        RecordedRequest upstream = forward(100, "x-b3-traceid", "48485a3953bb6124", "x-b3-spanid", "a2fb4a1d1a96d312",
                "x-b3-sampled", "1", "x-b3-flags", "1");

        assertThat(upstream.header("x-b3-traceid")).isEqualTo("48485a3953bb6124");
        assertThat(upstream.header("x-b3-parentspanid")).isEqualTo("a2fb4a1d1a96d312");
        assertThat(upstream.header("x-b3-spanid")).matches(HEX16).isNotEqualTo("a2fb4a1d1a96d312");
        assertThat(upstream.header("x-b3-flags")).isEqualTo("1");
        assertThat(upstream.header("traceparent"))
                .isEqualTo("00-000000000000000048485a3953bb6124-" + upstream.header("x-b3-spanid") + "-01");
    }

    @Test
    void continuesTheSingleB3Header() {
        RecordedRequest upstream = forward(100, "b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1");

        assertThat(upstream.header("x-b3-traceid")).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
        assertThat(upstream.header("x-b3-parentspanid")).isEqualTo("e457b5a2e4d86bd1");
        assertThat(upstream.header("x-b3-sampled")).isEqualTo("1");
    }

    @Test
    void continuesW3cTraceContextAndKeepsTracestate() {
        RecordedRequest upstream = forward(100, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "tracestate", "congo=t61rcWkgMzE");

        assertThat(upstream.header("x-b3-traceid")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(upstream.header("x-b3-parentspanid")).isEqualTo("b7ad6b7169203331");
        assertThat(upstream.header("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-"
                + upstream.header("x-b3-spanid") + "-01");
        assertThat(upstream.header("tracestate")).isEqualTo("congo=t61rcWkgMzE");
    }

    @Test
    void theCallersSamplingDecisionWinsOverTheProxys() {
        assertThat(forward(100, "x-b3-sampled", "0").header("x-b3-sampled")).isEqualTo("0");
        stopProxy();
        assertThat(forward(0, "x-b3-traceid", "48485a3953bb6124", "x-b3-spanid", "a2fb4a1d1a96d312",
                "x-b3-sampled", "1").header("x-b3-sampled")).isEqualTo("1");
        stopProxy();
        assertThat(forward(0, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .header("x-b3-sampled")).isEqualTo("1");
    }

    @Test
    void randomSamplingFollowsTheRequestIdSoEveryHopDecidesAlike() {
        // Envoy samples when the request id's first 8 hex digits modulo 10000 fall below the rate (here 50%).
        String below = "00001387-0000-4000-8000-000000000000";
        String atRate = "00001388-0000-4000-8000-000000000000";
        assertThat(forward(50, "x-request-id", below).header("x-b3-sampled")).isEqualTo("1");
        stopProxy();
        assertThat(forward(50, "x-request-id", atRate).header("x-b3-sampled")).isEqualTo("0");
        stopProxy();
        // x-client-trace-id takes client_sampling (100%) instead.
        assertThat(forward(0, "x-request-id", atRate, "x-client-trace-id", UUID.randomUUID().toString())
                .header("x-b3-sampled")).isEqualTo("1");
    }
}
