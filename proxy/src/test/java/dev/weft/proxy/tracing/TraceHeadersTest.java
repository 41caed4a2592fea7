package dev.weft.proxy.tracing;

import static dev.weft.proxy.tracing.Propagation.B3;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    @Test
    void readsB3MultiHeaderWith128And64BitTraceIds() {
        TraceContext wide = TraceHeaders.extract(B3, headers("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124",
                "x-b3-spanid", "a2fb4a1d1a96d312", "x-b3-parentspanid", "0020000000000001", "x-b3-sampled", "1"));
        assertThat(wide).isEqualTo(new TraceContext(0x463ac35c9f6413adL, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L,
                0x0020000000000001L, true, false));
        assertThat(wide.traceIdHex()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");

        TraceContext narrow = TraceHeaders.extract(B3, headers("x-b3-traceid", "48485A3953BB6124",
                "x-b3-spanid", "a2fb4a1d1a96d312"));
        assertThat(narrow).isEqualTo(new TraceContext(0, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L, 0, null, false));
        assertThat(narrow.traceIdHex()).isEqualTo("48485a3953bb6124");
    }

    @Test
    void sampledFlagsAndDebug() {
        String[] ids = {"x-b3-traceid", "48485a3953bb6124", "x-b3-spanid", "a2fb4a1d1a96d312"};
        assertThat(TraceHeaders.extract(B3, headers(concat(ids, "x-b3-sampled", "true"))).sampled()).isTrue();
        assertThat(TraceHeaders.extract(B3, headers(concat(ids, "x-b3-sampled", "0"))).sampled()).isFalse();
        assertThat(TraceHeaders.extract(B3, headers(concat(ids, "x-b3-sampled", "false"))).sampled()).isFalse();
        assertThat(TraceHeaders.extract(B3, headers(concat(ids, "x-b3-sampled", "yes"))).sampled()).isNull();
        TraceContext debug = TraceHeaders.extract(B3, headers(concat(ids, "x-b3-flags", "1", "x-b3-sampled", "0")));
        assertThat(debug.sampled()).isTrue();
        assertThat(debug.debug()).isTrue();
        // A sampling decision without ids is still a decision.
        TraceContext onlyDecision = TraceHeaders.extract(B3, headers("x-b3-sampled", "0"));
        assertThat(onlyDecision.sampled()).isFalse();
        assertThat(TraceHeaders.hasSpan(onlyDecision)).isFalse();
    }

    @Test
    void readsTheSingleB3Header() {
        assertThat(TraceHeaders.extract(B3, headers("b3",
                "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90")))
                .isEqualTo(new TraceContext(0x80f198ee56343ba8L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L,
                        0x05e3ac9a4f6e3b90L, true, false));
        assertThat(TraceHeaders.extract(B3, headers("b3", "64fe8b2a57d3eff7-e457b5a2e4d86bd1")))
                .isEqualTo(new TraceContext(0, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L, 0, null, false));
        assertThat(TraceHeaders.extract(B3, headers("b3", "64fe8b2a57d3eff7-e457b5a2e4d86bd1-d")).debug()).isTrue();
        assertThat(TraceHeaders.extract(B3, headers("b3", "0")).sampled()).isFalse();
        assertThat(TraceHeaders.extract(B3, headers("b3", "d")).sampled()).isTrue();
        assertThat(TraceHeaders.extract(B3, headers("b3", "64fe8b2a57d3eff7-e457b5a2e4d86bd1-x"))).isNull();
    }

    @Test
    void readsW3cTraceparentWhenThereIsNoB3() {
        assertThat(TraceHeaders.extract(B3, headers("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")))
                .isEqualTo(new TraceContext(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L, 0, true,
                        false));
        assertThat(TraceHeaders.extract(B3, headers("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")).sampled()).isFalse();
        // B3 wins over W3C, as in Envoy's Zipkin tracer.
        assertThat(TraceHeaders.extract(B3, headers("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "x-b3-traceid", "48485a3953bb6124", "x-b3-spanid", "a2fb4a1d1a96d312")).traceIdLow())
                .isEqualTo(0x48485a3953bb6124L);
    }

    @Test
    void malformedContextsCountAsNone() {
        assertThat(TraceHeaders.extract(B3, headers("x-b3-traceid", "0000000000000000", "x-b3-spanid", "a2fb4a1d1a96d312")))
                .isNull();
        assertThat(TraceHeaders.extract(B3, headers("x-b3-traceid", "48485a3953bb612", "x-b3-spanid", "a2fb4a1d1a96d312")))
                .isNull();
        assertThat(TraceHeaders.extract(B3, headers("x-b3-traceid", "48485a3953bb6124", "x-b3-spanid", "zzfb4a1d1a96d312")))
                .isNull();
        assertThat(TraceHeaders.extract(B3, headers("traceparent",
                "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))).isNull();
        assertThat(TraceHeaders.extract(B3, headers("traceparent",
                "00-00000000000000000000000000000000-b7ad6b7169203331-01"))).isNull();
        assertThat(TraceHeaders.extract(B3, headers("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"))).isNull();
        assertThat(TraceHeaders.extract(B3, headers())).isNull();
    }

    @Test
    void writesB3MultiHeaderAndTraceparent() {
        HttpHeaders h = headers("x-b3-parentspanid", "1111111111111111", "tracestate", "vendor=1");
        TraceHeaders.inject(h, new TraceContext(0, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L, 0, true, false), true, B3);
        assertThat(h.get("x-b3-traceid")).isEqualTo("48485a3953bb6124");
        assertThat(h.get("x-b3-spanid")).isEqualTo("a2fb4a1d1a96d312");
        assertThat(h.contains("x-b3-parentspanid")).isFalse();
        assertThat(h.get("x-b3-sampled")).isEqualTo("1");
        assertThat(h.get("traceparent")).isEqualTo("00-000000000000000048485a3953bb6124-a2fb4a1d1a96d312-01");
        assertThat(h.get("tracestate")).isEqualTo("vendor=1");

        TraceHeaders.inject(h, new TraceContext(0x463ac35c9f6413adL, 0x48485a3953bb6124L, 0x1L, 0x2L, false, false),
                false, B3);
        assertThat(h.get("x-b3-traceid")).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
        assertThat(h.get("x-b3-spanid")).isEqualTo("0000000000000001");
        assertThat(h.get("x-b3-parentspanid")).isEqualTo("0000000000000002");
        assertThat(h.get("x-b3-sampled")).isEqualTo("0");
        assertThat(h.get("traceparent")).isEqualTo("00-463ac35c9f6413ad48485a3953bb6124-0000000000000001-00");
    }

    @Test
    void openTelemetryReadsAndWritesTraceparentOnly() {
        HttpHeaders h = headers("x-b3-traceid", "48485a3953bb6124", "x-b3-spanid", "a2fb4a1d1a96d312",
                "x-b3-sampled", "1");
        assertThat(TraceHeaders.extract(Propagation.W3C, h)).isNull();
        h.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
        assertThat(TraceHeaders.extract(Propagation.W3C, h)).isEqualTo(new TraceContext(0x0af7651916cd43ddL,
                0x8448eb211c80319cL, 0xb7ad6b7169203331L, 0, false, false));

        TraceHeaders.inject(h, new TraceContext(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0x1L, 0xb7ad6b7169203331L,
                true, false), true, Propagation.W3C);
        assertThat(h.get("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-0000000000000001-01");
        assertThat(h.get("x-b3-spanid")).isEqualTo("a2fb4a1d1a96d312");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
