package dev.weft.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for loopback URLs: status and body, or status 0 when nothing answered. */
final class Http {

  record Reply(int status, String body) {}

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .proxy(HttpClient.Builder.NO_PROXY).build();

  private Http() {}

  static Reply get(String url) {
    return get(url, Map.of());
  }

  /** A GET with these request headers (such as {@code Authorization}). */
  static Reply get(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Reply(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(0, "interrupted");
    }
  }

  /**
   * A GET with its own Host header, as {@code curl -H "Host: httpbin.example.com"} sends it (the JDK client
   * always derives Host from the URL): HTTP/1.1 on a fresh connection closed after the answer.
   */
  static Reply get(String url, String host) {
    URI uri = URI.create(url);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int headersEnd = response.indexOf("\r\n\r\n");
      String statusLine = response.substring(0, response.indexOf("\r\n"));
      return new Reply(Integer.parseInt(statusLine.split(" ")[1]),
          headersEnd < 0 ? "" : response.substring(headersEnd + 4));
    } catch (IOException | RuntimeException e) {
      return new Reply(0, e.toString());
    }
  }
}
