package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundTrafficTest {

  @Test
  void sendsAtMostItsLimitOfRequests() throws Exception {
    AtomicInteger received = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/productpage", exchange -> {
      received.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/productpage");
    try (BackgroundTraffic traffic = new BackgroundTraffic(target, Duration.ofMillis(5), 4)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> traffic.succeeded() == 4);
      await().atMost(Duration.ofSeconds(5)).until(() -> traffic.sent() > 4);
      assertThat(received.get()).isEqualTo(4);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void onlyLoopbackIsATarget() {
    assertThatThrownBy(() -> new BackgroundTraffic(URI.create("http://example.com/"), Duration.ofSeconds(1), 1))
        .hasMessageContaining("loopback only");
  }
}
