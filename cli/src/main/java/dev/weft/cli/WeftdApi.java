package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** weftd's HTTP API as the CLI uses it: {@code POST /apply} and {@code DELETE /apply} with a YAML body. */
final class WeftdApi {

  /** What weftd answered: the resources it changed and its errors, or why it could not be asked. */
  record Answer(int status, List<String> changed, List<String> errors) {
    boolean accepted() {
      return status == 200;
    }
  }

  private final URI base;
  private final Optional<String> token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .proxy(HttpClient.Builder.NO_PROXY).build();
  private final ObjectMapper json = new ObjectMapper();

  /** @param token the mesh's API token, sent with every change */
  WeftdApi(URI base, Optional<String> token) {
    this.base = base;
    this.token = token;
  }

  Answer apply(String yaml) {
    return send("POST", yaml);
  }

  Answer delete(String yaml) {
    return send("DELETE", yaml);
  }

  private Answer send(String method, String yaml) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/apply")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/yaml")
        .method(method, HttpRequest.BodyPublishers.ofString(yaml));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(response.body());
      return new Answer(response.statusCode(), texts(body.path("changed")),
          body.has("error") ? List.of(body.get("error").asText()) : texts(body.path("errors")));
    } catch (IOException e) {
      return new Answer(0, List.of(), List.of("weftd at " + base + " did not answer: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, List.of(), List.of("interrupted"));
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
