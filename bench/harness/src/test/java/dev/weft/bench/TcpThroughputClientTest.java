package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpThroughputClientTest {

    @Test
    void reportsWhatTheSinkReceived() throws InterruptedException {
        try (TcpSink sink = TcpSink.start()) {
            TcpThroughputClient.Result result = new TcpThroughputClient(
                    new InetSocketAddress("127.0.0.1", sink.port()), sink::bytesReceived).run(2, Duration.ofMillis(300));

            assertThat(result.errors()).isZero();
            assertThat(result.bytes()).isPositive().isLessThanOrEqualTo(sink.bytesReceived());
            assertThat(result.megabytesPerSecond()).isPositive();
        }
    }

    @Test
    void aRefusedConnectionIsAnError() throws InterruptedException {
        TcpThroughputClient.Result result = new TcpThroughputClient(
                new InetSocketAddress("127.0.0.1", LoopbackPorts.free()), () -> 0).run(3, Duration.ofMillis(100));

        assertThat(result.errors()).isEqualTo(3);
        assertThat(result.bytes()).isZero();
    }
}
