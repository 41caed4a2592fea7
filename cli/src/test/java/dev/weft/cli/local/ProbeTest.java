package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeTest {

  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    server.createContext("/listeners", exchange -> {
      byte[] body = "0.0.0.0_8080::127.0.0.1:8080\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/missing", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aBodyIsReadOnlyFromA200() {
    Probe probe = new Probe();
    assertThat(probe.body(base + "/listeners")).contains("0.0.0.0_8080::127.0.0.1:8080\n");
    assertThat(probe.body(base + "/missing")).isEmpty();
    assertThat(probe.check(base + "/listeners").healthy()).isTrue();
    assertThat(probe.check("tcp://127.0.0.1:" + server.getAddress().getPort()).healthy()).isTrue();
  }
}
