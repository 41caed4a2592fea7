package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gRPC load against the harness's real grpc-java server on a loopback port. */
class GrpcUnaryClientTest {

    @Test
    void completesTheCallBudgetWithEveryAnswerTheOneKilobyteBody() throws InterruptedException {
        try (GrpcBenchService server = GrpcBenchService.start()) {
            GrpcUnaryClient.Result r = new GrpcUnaryClient(new InetSocketAddress("127.0.0.1", server.port()))
                    .run(2, 3, Duration.ofSeconds(60), 600);

            assertThat(r.errors()).isZero();
            assertThat(r.calls()).as("the budget ends the run long before its time").isEqualTo(600);
            assertThat(r.latency().count()).isEqualTo(600);
            assertThat(r.latency().p99Micros()).isGreaterThanOrEqualTo(r.latency().p50Micros()).isPositive();
            assertThat(r.callsPerSecond()).isPositive();
        }
    }

    @Test
    void callsToAPortWithNoServerAreErrorsAndTheRunStillEnds() throws InterruptedException {
        GrpcUnaryClient.Result r = new GrpcUnaryClient(new InetSocketAddress("127.0.0.1", LoopbackPorts.free()))
                .run(1, 2, Duration.ofSeconds(30), 20);

        assertThat(r.calls()).isZero();
        assertThat(r.errors()).isEqualTo(20);
    }
}
