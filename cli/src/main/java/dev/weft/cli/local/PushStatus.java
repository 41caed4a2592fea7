package dev.weft.cli.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * weftd's {@code /debug/push_status}: whether a change still waits for a push, and which connected proxies have not
 * ACKed what they were sent.
 */
record PushStatus(boolean pushPending, int proxies, List<String> notInSync) {

  private static final ObjectMapper JSON = new ObjectMapper();

  PushStatus {
    notInSync = List.copyOf(notInSync);
  }

  /** Every change pushed and every proxy holding it: a request now sees the whole mesh. */
  boolean converged() {
    return !pushPending && notInSync.isEmpty();
  }

  static Optional<PushStatus> parse(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (!json.path("pushPending").isBoolean()) {
        return Optional.empty();
      }
      List<String> lagging = new ArrayList<>();
      json.path("notInSync").forEach(id -> lagging.add(id.asText()));
      return Optional.of(new PushStatus(json.get("pushPending").asBoolean(), json.path("proxies").asInt(), lagging));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return pushPending ? "a push is pending" : notInSync.size() + " of " + proxies + " proxies not in sync "
        + notInSync;
  }
}
