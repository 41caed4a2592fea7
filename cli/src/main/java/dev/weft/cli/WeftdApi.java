package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.controlplane.debug.DebugApi;
import dev.weft.model.analysis.Level;
import dev.weft.model.analysis.Message;
import dev.weft.model.analysis.MessageType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * weftd's HTTP API as the CLI uses it: {@code POST /apply}, {@code DELETE /apply} and {@code POST /debug/analyze} with
 * the user's files, each named, so weftd's messages point into them.
 */
final class WeftdApi {

  /** A file to send: its name as the user gave it, and its text. */
  record NamedFile(String name, String content) {}

  /** What weftd did to one resource: {@code created}, {@code configured}, {@code unchanged}, ... */
  record Outcome(String resource, String result, String source) {
    boolean notFound() {
      return result.equals("not found");
    }
  }

  /** What weftd answered: what it did to each resource and its errors, or why it could not be asked. */
  record Answer(int status, List<Outcome> outcomes, List<String> errors) {
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

  Answer apply(List<NamedFile> files) {
    return send("POST", files);
  }

  Answer delete(List<NamedFile> files) {
    return send("DELETE", files);
  }

  /** What weftd's analysis found: the messages, and how many resources of each namespace it analyzed. */
  record Analyzed(List<Message> messages, Map<String, Integer> resourcesByNamespace) {}

  /**
   * The files laid over the running mesh and analyzed by weftd (the mesh alone when there are none).
   *
   * @param namespace of the files' resources that name none
   * @throws IOException when weftd did not answer, or not with an analysis
   */
  Analyzed analyze(List<NamedFile> files, String namespace) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/debug/analyze?namespace="
            + URLEncoder.encode(namespace, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30))
        .header("Content-Type", DebugApi.FILES_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(filesBody(files))).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    JsonNode answer = json.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + ": " + answer.path("error").asText());
    }
    return analyzed(answer);
  }

  /** weftd's analysis JSON ({@code {"messages": [...], "resources": {...}}}) read back. */
  static Analyzed analyzed(JsonNode answer) {
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : answer.path("messages")) {
      messages.add(new Message(MessageType.ofCode(m.path("code").asText()), Level.parse(m.path("level").asText()),
          m.path("resource").asText(), m.path("namespace").asText(), m.path("file").asText(), m.path("line").asInt(),
          m.path("text").asText()));
    }
    Map<String, Integer> counts = new TreeMap<>();
    answer.path("resources").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
    return new Analyzed(messages, counts);
  }

  private String filesBody(List<NamedFile> files) {
    ObjectNode body = json.createObjectNode();
    ArrayNode list = body.putArray("files");
    files.forEach(f -> list.addObject().put("name", f.name()).put("content", f.content()));
    return body.toString();
  }

  private Answer send(String method, List<NamedFile> files) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/apply")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", DebugApi.FILES_TYPE)
        .method(method, HttpRequest.BodyPublishers.ofString(filesBody(files)));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer = json.readTree(response.body());
      List<Outcome> outcomes = new ArrayList<>();
      answer.path("results").forEach(r -> outcomes.add(
          new Outcome(r.path("resource").asText(), r.path("result").asText(), r.path("source").asText())));
      return new Answer(response.statusCode(), outcomes,
          answer.has("error") ? List.of(answer.get("error").asText()) : texts(answer.path("errors")));
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
