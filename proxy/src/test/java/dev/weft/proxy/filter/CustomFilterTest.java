package dev.weft.proxy.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.filter.fault.FaultFilterParser;
import dev.weft.proxy.filter.router.RouterFilterParser;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Filters from outside this module plug in through the registry; a failing filter never breaks the event loop. */
class CustomFilterTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    private void start(String filters) {
        HttpFilterRegistry registry = HttpFilterRegistry.builder()
                .register(RouterFilterParser.CONFIG_TYPE, RouterFilterParser.parser())
                .register(FaultFilterParser.CONFIG_TYPE, FaultFilterParser.parser())
                // A filter that throws: stands in for any bug in a filter.
                .register(Empty.getDescriptor().getFullName(), (any, context) -> () -> exchange -> {
                    throw new IllegalStateException("filter bug");
                })
                // A filter that pauses the request and resumes it later on the event loop, as an auth call would.
                .register(StringValue.getDescriptor().getFullName(), (any, context) -> () -> exchange -> {
                    exchange.eventLoop().schedule(() -> {
                        exchange.request().headers().set("x-checked", "yes");
                        exchange.resume();
                    }, 10, TimeUnit.MILLISECONDS);
                    return FilterStatus.STOP;
                })
                .build();
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), Bootstraps.indent(filters, 10), Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())),
                ProxyOptions.defaults().withWorkerThreads(1).withRandomSeed(1).withFilters(registry));
    }

    @Test
    void aThrowingFilterGets500AndTheProxyKeepsServing() {
        start("""
                - name: buggy
                  typed_config: { "@type": type.googleapis.com/google.protobuf.Empty }
                """);
        HttpResponse<String> r = proxy.get("/");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(up.requestCount()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                proxy.server().stats().value("http.ingress_http.downstream_rq_handler_error") == 1);
        assertThat(proxy.server().stats().value("http.ingress_http.downstream_cx_error")).isZero();
        assertThat(proxy.get("/").statusCode()).isEqualTo(500);
    }

    @Test
    void aFilterCanPauseAndResumeTheRequest() {
        start("""
                - name: async-check
                  typed_config: { "@type": type.googleapis.com/google.protobuf.StringValue, value: "" }
                """);
        HttpResponse<String> r = proxy.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("x-checked: yes");
    }
}
