package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Once a restarted weftd is healthy, every proxy's admin gets POST /xds/reconnect; not before. */
class ProxyWakeUpTest {

  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private HttpServer server() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.start();
    servers.add(s);
    return s;
  }

  private static String url(HttpServer s) {
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  @Test
  void proxiesAreToldOnceWeftdAnswersItsHealthProbe() throws IOException {
    AtomicInteger probes = new AtomicInteger();
    HttpServer weftd = server();
    weftd.createContext("/ready", exchange -> {
      exchange.sendResponseHeaders(probes.incrementAndGet() <= 3 ? 503 : 200, -1);
      exchange.close();
    });
    List<String> told = new CopyOnWriteArrayList<>();
    List<ProcessRecord> proxies = new java.util.ArrayList<>();
    for (String name : List.of("gateway", "sidecar")) {
      HttpServer admin = server();
      admin.createContext("/", exchange -> {
        told.add(name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " after "
            + probes.get() + " probes");
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      proxies.add(new ProcessRecord(name, Role.SIDECAR, name, 1, 0, "", "", url(admin)));
    }
    List<String> progress = new CopyOnWriteArrayList<>();

    ProxyWakeUp.after(new ProcessRecord("weftd", Role.WEFTD, "", 1, 0, "", url(weftd) + "/ready", ""), proxies,
        new Probe(), Clock.systemUTC(), progress::add);

    await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 2);
    assertThat(told).containsExactlyInAnyOrder("gateway POST /xds/reconnect after 4 probes",
        "sidecar POST /xds/reconnect after 4 probes");
    assertThat(progress).containsExactly("weftd is back: told 2 proxies to reconnect now");
  }
}
