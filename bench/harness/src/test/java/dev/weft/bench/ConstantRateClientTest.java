package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConstantRateClientTest {

    @Test
    void sendsTheAskedRateOverKeepAliveConnections() throws InterruptedException {
        try (OneKilobyteServer server = new OneKilobyteServer(200, 0)) {
            ConstantRateClient.Result result = new ConstantRateClient(server.address(), "/1kb")
                    .run(4, 200, Duration.ofSeconds(1));

            assertThat(result.requests()).isBetween(190L, 210L);
            assertThat(result.errors()).isZero();
            assertThat(server.requests()).isEqualTo((int) result.requests());
            assertThat(result.achievedRps()).isBetween(190.0, 210.0);
            assertThat(result.latency().p50Micros()).isPositive();
            assertThat(result.latency().p99Micros()).isGreaterThanOrEqualTo(result.latency().p50Micros());
        }
    }

    @Test
    void chargesLatencyFromWhenARequestWasDueSoASlowServerShowsQueueing() throws InterruptedException {
        // One connection due every 10 ms against a server taking 30 ms: each request waits behind the last.
        try (OneKilobyteServer server = new OneKilobyteServer(200, 30)) {
            ConstantRateClient.Result result = new ConstantRateClient(server.address(), "/1kb")
                    .run(1, 100, Duration.ofMillis(600));

            assertThat(result.latency().p50Micros()).isGreaterThan(30_000);
            assertThat(result.latency().maxMicros()).as("the last request queued behind all the others")
                    .isGreaterThan(200_000);
        }
    }

    @Test
    void countsNon200ResponsesAsErrors() throws InterruptedException {
        try (OneKilobyteServer server = new OneKilobyteServer(503, 0)) {
            ConstantRateClient.Result result = new ConstantRateClient(server.address(), "/1kb")
                    .run(2, 100, Duration.ofMillis(300));

            assertThat(result.requests()).isPositive();
            assertThat(result.errors()).isEqualTo(result.requests());
        }
    }

    @Test
    void countsRefusedConnectionsAsErrors() throws InterruptedException {
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", LoopbackPorts.free());
        ConstantRateClient.Result result = new ConstantRateClient(nobody, "/1kb").run(1, 50, Duration.ofMillis(200));

        assertThat(result.requests()).isZero();
        assertThat(result.errors()).as("one refused connect per due request").isEqualTo(10);
    }
}
