package dev.weft.examples.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropagatedHeadersTest {
    @Test
    void picksOnlyContextHeadersWithAllTheirValues() {
        Headers inbound = new Headers();
        inbound.add("X-Request-Id", "r1");
        inbound.add("Tracestate", "a=1");
        inbound.add("tracestate", "b=2");
        inbound.add("Cookie", "session=secret");
        inbound.add("Authorization", "Bearer t");

        PropagatedHeaders picked = PropagatedHeaders.from(inbound);

        assertThat(picked.values()).isEqualTo(Map.of("x-request-id", List.of("r1"), "tracestate", List.of("a=1", "b=2")));
    }

    @Test
    void withReplacesAllValuesOfOneName() {
        Headers inbound = new Headers();
        inbound.add("end-user", "mallory");

        PropagatedHeaders headers = PropagatedHeaders.from(inbound).with("End-User", "jason");

        assertThat(headers.values()).isEqualTo(Map.of("end-user", List.of("jason")));
    }

    @Test
    void namesAreTheOnesIstiosSamplesForward() {
        assertThat(PropagatedHeaders.NAMES).containsExactlyInAnyOrder(
                "x-request-id", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags",
                "b3", "traceparent", "tracestate", "x-ot-span-context", "end-user", "user-agent");
    }
}
