package dev.weft.cli.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Light traffic for the demo, so dashboards and stats have something to show: one GET every {@code period},
 * at most {@code limit} requests, to loopback only.
 */
public final class BackgroundTraffic implements AutoCloseable {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("weft-demo-traffic").factory());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .proxy(HttpClient.Builder.NO_PROXY).build();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();

  public BackgroundTraffic(URI target, Duration period, long limit) {
    String host = target.getHost();
    if (!host.startsWith("127.") && !host.equals("localhost")) {
      throw new IllegalArgumentException("background traffic goes to loopback only, not " + host);
    }
    HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).GET().build();
    timer.scheduleAtFixedRate(() -> {
      if (sent.incrementAndGet() > limit) {
        timer.shutdown();
        return;
      }
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(r -> {
        if (r.statusCode() == 200) {
          ok.incrementAndGet();
        }
      });
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  public long sent() {
    return sent.get();
  }

  public long succeeded() {
    return ok.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
