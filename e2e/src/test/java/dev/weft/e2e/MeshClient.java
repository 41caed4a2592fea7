package dev.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An app inside the mesh: the {@code curl} sample workload, asked to fetch a URL, calls it through its own
 * sidecar, as {@code kubectl exec curl -- curl URL} does in Istio's tasks.
 */
final class MeshClient {
  /** What the app saw: the status of the answer, or status 0 with the reason nothing answered. */
  record Fetched(int status, String body) {}

  private final String curlApp;

  MeshClient(String curlApp) {
    this.curlApp = curlApp;
  }

  /** Fetches {@code url} with the given {@code Name: value} headers, as {@code curl -H} sends them. */
  Fetched fetch(String url, String... headers) {
    StringBuilder query = new StringBuilder("fetch?url=").append(URLEncoder.encode(url, StandardCharsets.UTF_8));
    for (String header : headers) {
      query.append("&header=").append(URLEncoder.encode(header, StandardCharsets.UTF_8));
    }
    Http.Reply reply = Http.get(curlApp + query);
    if (reply.status() != 200) {
      throw new AssertionError("the curl app answered " + reply.status() + ": " + reply.body());
    }
    try {
      JsonNode result = new ObjectMapper().readTree(reply.body());
      return result.has("error") ? new Fetched(0, result.path("error").asText())
          : new Fetched(result.path("status").asInt(), result.path("body").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
