package dev.weft.cli.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Health checks: {@code http://...} is healthy on 200, {@code tcp://host:port} when it accepts a connection. */
public final class Probe {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .proxy(HttpClient.Builder.NO_PROXY).build();

  /** What a probe saw: {@code healthy}, or a short reason. */
  public record Outcome(boolean healthy, String detail) {}

  public Outcome check(String target) {
    if (target == null || target.isEmpty()) {
      return new Outcome(false, "no probe");
    }
    URI uri = URI.create(target);
    return "tcp".equals(uri.getScheme()) ? tcp(uri) : http(uri);
  }

  private Outcome http(URI uri) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200 ? new Outcome(true, "ready")
          : new Outcome(false, "HTTP " + response.statusCode());
    } catch (IOException e) {
      return new Outcome(false, "not answering");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted");
    }
  }

  private static Outcome tcp(URI uri) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) TIMEOUT.toMillis());
      return new Outcome(true, "accepting");
    } catch (IOException e) {
      return new Outcome(false, "not accepting");
    }
  }

  /** The body of a 200 answer to a GET, if one came. */
  public Optional<String> body(String url) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** POSTs to an admin endpoint (a proxy's /drain_listeners); failures are ignored, the stop goes on. */
  public void post(String url) {
    try {
      http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // The proxy is already gone: nothing to drain.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
